using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rollproof.Common;

/// <summary>
/// fsync of files and directories (.NET can flush a file it wrote, but cannot open a directory to flush a rename),
/// and early writeback of what a large write has put in the page cache.
/// </summary>
internal static partial class Posix
{
    private const uint SyncFileRangeWrite = 2; // SYNC_FILE_RANGE_WRITE: start writeback, do not wait
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

    /// <summary>
    /// Asks the kernel to start writing a range of the file to disk now, so that the fsync that makes the file durable
    /// finds little left to do. A hint only: failure is ignored, since the fsync still decides.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long length) =>
        _ = sync_file_range(file.DangerousGetHandle().ToInt32(), offset, length, SyncFileRangeWrite);

    /// <summary>Sends <paramref name="signal"/> to a process, or to a process group when <paramref name="pid"/> is negative; false when there is none (any more).</summary>
    public static bool Signal(int pid, int signal) => kill(pid, signal) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sync_file_range(int fd, long offset, long nbytes, uint flags);
}
