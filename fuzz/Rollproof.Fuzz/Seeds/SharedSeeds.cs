using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rollproof.Testing;

namespace Rollproof.Fuzz.Seeds;

/// <summary>
/// Seeds read where they live, never copied: the shared public test vectors (<see cref="SharedFiles"/>), the
/// examples in the docs, the runbook Rollproof ships. Sorted, so a seed's position (and so every input) is stable.
/// </summary>
internal static partial class SharedSeeds
{
    public static IReadOnlyList<byte[]> Vectors(string folder, string pattern = "*") =>
        [.. Directory.GetFiles(SharedFiles.Vector(folder), pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

    /// <summary>The files of a vector folder by their path inside it.</summary>
    public static IReadOnlyDictionary<string, byte[]> VectorTree(string folder)
    {
        var root = SharedFiles.Vector(folder);
        return Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);
    }

    /// <summary>Every string member named <paramref name="member"/> in a JSON vector file (notes, keys).</summary>
    public static IReadOnlyList<byte[]> VectorStrings(string file, string member)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(SharedFiles.Vector(file)));
        var found = new List<byte[]>();
        Collect(json.RootElement, member, found);
        return found;
    }

    /// <summary>A JSON member of a vector file, written out as its own document.</summary>
    public static byte[] VectorMember(string file, string member)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(SharedFiles.Vector(file)));
        return Encoding.UTF8.GetBytes(json.RootElement.GetProperty(member).GetRawText());
    }

    /// <summary>The fenced <paramref name="language"/> blocks of the docs that contain <paramref name="marker"/>.</summary>
    public static IReadOnlyList<byte[]> DocBlocks(string language, string marker) =>
        [.. Directory.GetFiles(Path.Combine(SharedFiles.RepositoryRoot, "docs"), "*.md").Order(StringComparer.Ordinal)
            .SelectMany(f => Fence().Matches(File.ReadAllText(f)))
            .Where(m => m.Groups[1].Value == language && m.Groups[2].Value.Contains(marker, StringComparison.Ordinal))
            .Select(m => Encoding.UTF8.GetBytes(m.Groups[2].Value))];

    public static byte[] Resource(string name)
    {
        using var stream = typeof(Rollproof.Runbooks.RunbookYaml).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"no resource {name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void Collect(JsonElement element, string member, List<byte[]> found)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == member && property.Value.ValueKind == JsonValueKind.String)
                    found.Add(Encoding.UTF8.GetBytes(property.Value.GetString()!));
                Collect(property.Value, member, found);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                Collect(item, member, found);
        }
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();
}
