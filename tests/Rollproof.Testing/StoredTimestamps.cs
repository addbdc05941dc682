using System.Globalization;
using System.Text.Json.Nodes;

namespace Rollproof.Testing;

/// <summary>
/// Tampers with the signed entry timestamp a log directory keeps for an entry, in whichever layout it is kept
/// (docs/storage.md: its own <c>timestamps/NNN/INDEX.json</c>, or its line of the batch file <c>timestamps/NNN.jsonl</c>),
/// as anyone with write access to the store could.
/// </summary>
public static class StoredTimestamps
{
    /// <summary>Removes the entry's timestamp.</summary>
    public static void Delete(string logPath, long index) => Rewrite(logPath, index, _ => null);

    /// <summary>Replaces the JSON text of the entry's timestamp with what <paramref name="edit"/> makes of it (null: removes it).</summary>
    public static void Rewrite(string logPath, long index, Func<string, string?> edit)
    {
        var folder = Path.Combine(logPath, "timestamps");
        var number = (index / 1000).ToString("000", CultureInfo.InvariantCulture);
        var own = Path.Combine(folder, number, index.ToString(CultureInfo.InvariantCulture) + ".json");
        if (File.Exists(own))
        {
            if (edit(File.ReadAllText(own)) is { } edited)
                File.WriteAllText(own, edited);
            else
                File.Delete(own);
            return;
        }
        var batch = Path.Combine(folder, number + ".jsonl");
        var lines = File.ReadAllLines(batch).ToList();
        var at = lines.FindLastIndex(line => JsonNode.Parse(line)?["index"]?.GetValue<long>() == index);
        if (at < 0)
            throw new InvalidOperationException($"{batch} keeps no timestamp for entry {index}");
        if (edit(lines[at]) is { } replaced)
            lines[at] = replaced;
        else
            lines.RemoveAt(at);
        File.WriteAllText(batch, string.Concat(lines.Select(line => line + "\n")));
    }
}
