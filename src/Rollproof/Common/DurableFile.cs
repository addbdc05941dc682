namespace Rollproof.Common;

/// <summary>Replaces a file so that after a crash or power loss it holds either the old bytes or the new, never a mix.</summary>
public static class DurableFile
{
    public static void Replace(string path, ReadOnlySpan<byte> data)
    {
        var full = Path.GetFullPath(path);
        // A fresh name, created exclusively: never follows a planted link, never collides with another writer.
        var temp = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        Posix.FsyncDirectory(Path.GetDirectoryName(full)!);
    }
}
