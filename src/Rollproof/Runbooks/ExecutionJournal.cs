using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Runbooks;

/// <summary>
/// The durable record of an execution, one JSON line per event, each fsynced before the engine moves on: after a crash
/// it says exactly which steps completed (never run again) and which one was under way (run again: steps are
/// idempotent). A line torn by a crash while being written is the last one: it is ignored, and cut off before the
/// next append.
/// </summary>
public sealed class ExecutionJournal(string path)
{
    public const long MaxSize = 16 << 20;

    public string Path { get; } = path;

    public void Append(JournalRecord record)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var line = JsonSerializer.SerializeToUtf8Bytes(record, PredicateJson.Options);
        using var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        CutTornTail(file);
        file.Seek(0, SeekOrigin.End);
        file.Write(line);
        file.WriteByte((byte)'\n');
        file.Flush(flushToDisk: true);
    }

    // A line a crash cut short would otherwise be joined to the next one, and that line could never be read: cut back
    // to the last whole line, durably, before appending.
    private static void CutTornTail(FileStream file)
    {
        var end = file.Length;
        var buffer = new byte[4096];
        var whole = end;
        while (whole > 0)
        {
            var start = Math.Max(0, whole - buffer.Length);
            file.Seek(start, SeekOrigin.Begin);
            file.ReadExactly(buffer, 0, (int)(whole - start));
            var newline = Array.LastIndexOf(buffer, (byte)'\n', (int)(whole - start) - 1, (int)(whole - start));
            if (newline >= 0)
            {
                whole = start + newline + 1;
                break;
            }
            whole = start;
        }
        if (whole == end)
            return;
        file.SetLength(whole);
        file.Flush(flushToDisk: true);
    }

    public Result<IReadOnlyList<JournalRecord>> Read()
    {
        if (!File.Exists(Path))
            return Result<IReadOnlyList<JournalRecord>>.Ok([]);
        if (new FileInfo(Path).Length > MaxSize)
            return Result<IReadOnlyList<JournalRecord>>.Fail(ErrorCodes.InputTooLarge, $"journal {Path} is larger than {MaxSize} bytes");
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(Path));
        var lines = text.Split('\n');
        var records = new List<JournalRecord>();
        // Every line but the last ends with a newline, so only the last can have been cut short.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            try
            {
                records.Add(JsonSerializer.Deserialize<JournalRecord>(lines[i], PredicateJson.Options)!);
            }
            catch (JsonException e)
            {
                return Result<IReadOnlyList<JournalRecord>>.Fail(ErrorCodes.InputMalformed, $"journal {Path} line {i + 1} is damaged: {e.Message}");
            }
        }
        return Result<IReadOnlyList<JournalRecord>>.Ok(records);
    }

    /// <summary>The steps that completed, by id, with their evidence.</summary>
    public static IReadOnlyDictionary<string, JournalRecord> Completed(IEnumerable<JournalRecord> records) =>
        records.Where(r => r.Event == StepEvent.Completed).GroupBy(r => r.Step).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
}
