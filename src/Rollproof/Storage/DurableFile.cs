namespace Rollproof.Storage;

/// <summary>Replaces a file so that after a crash or power loss it holds either the old bytes or the new, never a mix.</summary>
public static class DurableFile
{
    public static void Replace(string path, ReadOnlySpan<byte> data)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            stream.Write(data);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
        Posix.FsyncDirectory(Path.GetDirectoryName(full)!);
    }
}
