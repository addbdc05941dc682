using System.IO.Compression;

namespace Rollproof.Fuzz.Mutations;

/// <summary>
/// Mutations of a zip as the files it holds: one file's content mutated (as JSON or lines by its name), a file
/// dropped, duplicated under its own or another name, renamed to a path a package must refuse, then zipped again.
/// The zip's own bytes are mutated by <see cref="ByteMutations"/>.
/// </summary>
internal static class ZipMutations
{
    private static readonly string[] OddNames = ["../x", "/abs", "a\\b", "dir/", "./manifest.json", "entries//x", " ", "blobs/sha256/" + new string('0', 64), "entries/00000000-other.dsse.json", "entries/99999999999999999999-release.tlog-proof"];

    public static byte[]? Mutate(byte[] input, Random random, IReadOnlyList<byte[]> corpus)
    {
        List<(string Name, byte[] Bytes)> files;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(input), ZipArchiveMode.Read);
            files = [.. zip.Entries.Select(e => (e.FullName, Read(e)))];
        }
        catch (InvalidDataException)
        {
            return null;
        }
        // A zip made by byte mutations may name a file "", which no zip writer accepts: left to the byte mutations.
        if (files.Count == 0 || files.Any(f => f.Name.Length == 0))
            return null;
        var at = random.Next(files.Count);
        var (name, bytes) = files[at];
        switch (random.Next(6))
        {
            case 0: files.RemoveAt(at); break;
            case 1: files.Add((name, bytes)); break;
            case 2: files.Add((Interesting.Pick(random, OddNames), bytes)); break;
            case 3: files[at] = (Interesting.Pick(random, OddNames), bytes); break;
            default: files[at] = (name, Content(name, bytes, random, corpus)); break;
        }
        return Write(files);
    }

    private static byte[] Content(string name, byte[] bytes, Random random, IReadOnlyList<byte[]> corpus)
    {
        if (name.EndsWith(".json", StringComparison.Ordinal) && random.Next(2) == 0 && JsonMutations.Mutate(bytes, random, corpus) is { } json)
            return json;
        return random.Next(2) == 0 && !name.StartsWith("blobs/", StringComparison.Ordinal)
            ? LineMutations.Mutate(bytes, random, corpus, yaml: false)
            : ByteMutations.Mutate(bytes, random, corpus, maxRepeat: 256);
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static byte[] Write(IEnumerable<(string Name, byte[] Bytes)> files)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }
        }
        return output.ToArray();
    }
}
