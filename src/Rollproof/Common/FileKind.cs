using System.Runtime.InteropServices;

namespace Rollproof.Common;

/// <summary>What a path names, told without opening it.</summary>
internal enum PathKind
{
    Missing,
    RegularFile,
    Directory,

    /// <summary>A device, a FIFO or a socket: reading one may never end (<c>/dev/zero</c>) or block (a FIFO, even to open).</summary>
    Special,

    /// <summary>statx failed for another reason than the path not existing (permissions, a loop of links).</summary>
    Unknown,
}

/// <summary>
/// The kind of file a path names, following symbolic links, by statx(2). .NET's <see cref="FileInfo"/> cannot tell a
/// device or a FIFO from a file, and opening a FIFO to ask blocks; statx asks without opening, and its struct has the
/// same layout on every architecture (unlike stat's).
/// </summary>
internal static partial class FileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28; // stx_mask, stx_blksize (u32), stx_attributes (u64), stx_nlink, stx_uid, stx_gid (u32)
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int DirectoryType = 0x4000;
    private const int NoSuchFile = 2; // ENOENT
    private const int NotADirectory = 20; // ENOTDIR: a path through a file

    public static PathKind Of(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (statx(AtFdCwd, path, 0, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
            return Marshal.GetLastPInvokeError() is NoSuchFile or NotADirectory ? PathKind.Missing : PathKind.Unknown;
        return (MemoryMarshal.Read<ushort>(buffer[ModeOffset..]) & TypeMask) switch
        {
            Regular => PathKind.RegularFile,
            DirectoryType => PathKind.Directory,
            _ => PathKind.Special,
        };
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}
