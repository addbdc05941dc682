using System.Runtime.InteropServices;

namespace Rollproof.Storage;

/// <summary>fsync of files and directories: .NET can flush a file it wrote, but cannot open a directory to flush a rename.</summary>
internal static partial class Posix
{
    private const int ReadOnly = 0; // O_RDONLY; enough to fsync a directory (O_DIRECTORY differs between architectures)

    public static void FsyncFile(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        if (fsync(handle.DangerousGetHandle().ToInt32()) != 0)
            throw new IOException($"fsync of '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
    }

    public static void FsyncDirectory(string path)
    {
        var fd = open(path, ReadOnly);
        if (fd < 0)
            throw new IOException($"cannot open directory '{path}' to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (fsync(fd) != 0)
                throw new IOException($"fsync of directory '{path}' failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
