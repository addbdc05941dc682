using System.Security.Cryptography;

namespace Rollproof.Targets;

/// <summary>
/// What a release folder holds, path by path: each file's SHA-256 and mode, each folder, and any link (which an
/// unpacked release never has). Comparing an unpacked folder with a fresh unpack of its verified artifact finds every
/// file edited, added, removed or made executable since, whatever any marker in the folder says.
/// </summary>
internal static class FolderDigests
{
    /// <summary>The paths (relative, sorted) where <paramref name="actual"/> differs from <paramref name="expected"/>.</summary>
    public static IReadOnlyList<string> Differences(string expected, string actual)
    {
        var want = Of(expected, _ => true);
        // Only paths the artifact has are hashed: an added file differs whatever it holds.
        var have = Of(actual, want.ContainsKey);
        return [.. want.Keys.Union(have.Keys).Where(p => want.GetValueOrDefault(p) != have.GetValueOrDefault(p)).Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, string> Of(string folder, Func<string, bool> hash)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(new DirectoryInfo(folder), "", entries, hash);
        return entries;
    }

    // Links are named, never followed: a folder or file swapped for a link must not be hashed as its target.
    private static void Walk(DirectoryInfo directory, string prefix, Dictionary<string, string> entries, Func<string, bool> hash)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            var path = prefix + entry.Name;
            if (entry.LinkTarget is not null)
                entries[path] = "link";
            else if (entry is DirectoryInfo sub)
            {
                entries[path] = "folder";
                Walk(sub, path + "/", entries, hash);
            }
            else
                entries[path] = hash(path) ? FileDigest(entry.FullName) : "file";
        }
    }

    private static string FileDigest(string file)
    {
        var mode = Convert.ToString((int)File.GetUnixFileMode(file), 8);
        using var stream = File.OpenRead(file);
        return $"file {mode} {Convert.ToHexStringLower(SHA256.HashData(stream))}";
    }
}
