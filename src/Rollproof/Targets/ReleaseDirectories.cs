using System.Formats.Tar;
using System.IO.Compression;
using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Targets;

/// <summary>A release folder ready to run, and the paths in it that differed from the artifact and were unpacked again.</summary>
public sealed record UnpackedRelease(string Directory, IReadOnlyList<string> Restored);

/// <summary>
/// Releases unpacked by artifact digest under <c>releases/HEX/</c>: the artifact is copied out of the store and hashed
/// on the way, and unpacked only if it is what the signed release names. A tar (gzip or not) becomes the folder's
/// content; any other file is placed as itself, executable. Entries may not leave the folder, links and devices are
/// refused, and the whole is bounded. Anyone with the target can edit a folder once unpacked, so every deploy unpacks
/// the artifact afresh and keeps the existing folder only if it matches file for file (<see cref="FolderDigests"/>);
/// otherwise the fresh copy replaces it. Unpacking is all or nothing (a temporary folder renamed into place), so a
/// crash leaves either nothing or the complete release.
/// </summary>
public sealed class ReleaseDirectories(string root)
{
    public const long MaxUnpackedBytes = 8L << 30;

    public string Root { get; } = Path.GetFullPath(root);

    public string PathOf(Sha256Digest digest) => Path.Combine(Root, digest.Hex);

    public async Task<Result<UnpackedRelease>> UnpackAsync(IArtifactStore artifacts, Sha256Digest digest, string name, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Root);
        var opened = await artifacts.OpenAsync(digest, cancellation);
        if (!opened.IsOk)
            return opened.Problem;
        await using var copy = PrivateCopy.Create("rollproof-unpack-");
        await using (var source = opened.Value)
            if (await HashingCopy.CopyAsync(source, copy, cancellation) != digest)
                return Fail($"the artifact read from the store does not hash to {digest}: refusing to unpack it");
        copy.Position = 0;

        var final = PathOf(digest);
        var staging = Path.Combine(Root, $".unpacking-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            if (await ExtractAsync(copy, staging, name, cancellation) is { } refused)
                return refused;
            if (!Directory.Exists(final))
            {
                Directory.Move(staging, final);
                Posix.FsyncDirectory(Root);
                return Result<UnpackedRelease>.Ok(new UnpackedRelease(final, []));
            }
            // Left as it is when intact, so a slot running from it keeps its folder.
            var changed = FolderDigests.Differences(staging, final);
            if (changed.Count == 0)
                return Result<UnpackedRelease>.Ok(new UnpackedRelease(final, []));
            var replaced = Path.Combine(Root, $".replaced-{Guid.NewGuid():N}");
            Directory.Move(final, replaced);
            Directory.Move(staging, final);
            Posix.FsyncDirectory(Root);
            Directory.Delete(replaced, recursive: true);
            return Result<UnpackedRelease>.Ok(new UnpackedRelease(final, changed));
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static async Task<Result<UnpackedRelease>?> ExtractAsync(FileStream copy, string staging, string name, CancellationToken cancellation)
    {
        var magic = new byte[262];
        var read = await copy.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellation);
        copy.Position = 0;
        var gzip = read >= 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        var tar = read >= 262 && magic.AsSpan(257, 5).SequenceEqual("ustar"u8);
        if (!gzip && !tar)
        {
            var file = Path.Combine(staging, Path.GetFileName(name));
            await using (var target = File.Create(file))
                await copy.CopyToAsync(target, cancellation);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            return null;
        }
        await using var content = gzip ? new GZipStream(copy, CompressionMode.Decompress, leaveOpen: true) : (Stream)copy;
        try
        {
            await using var reader = new TarReader(content, leaveOpen: true);
            long total = 0;
            while (await reader.GetNextEntryAsync(copyData: false, cancellation) is { } entry)
            {
                var relative = entry.Name.TrimStart('.', '/').Length == 0 ? "" : entry.Name;
                if (relative.Length == 0)
                    continue;
                var path = Path.GetFullPath(Path.Combine(staging, relative));
                if (Path.IsPathRooted(entry.Name) || !path.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    return Fail($"'{name}' has an entry '{entry.Name}' that would land outside its release folder");
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(path);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        if ((total += entry.Length) > MaxUnpackedBytes)
                            return Fail($"'{name}' unpacks to more than {MaxUnpackedBytes} bytes");
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        await entry.ExtractToFileAsync(path, overwrite: false, cancellation);
                        File.SetUnixFileMode(path, (entry.Mode & (UnixFileMode)0b111_101_101) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
                        break;
                    case TarEntryType.GlobalExtendedAttributes:
                        break;
                    default:
                        return Fail($"'{name}' has an entry '{entry.Name}' of type {entry.EntryType}: a release folder holds only files and folders");
                }
            }
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or IOException)
        {
            return Fail($"'{name}' is not a readable tar archive: {e.Message}");
        }
    }

    private static Result<UnpackedRelease> Fail(string message) => Result<UnpackedRelease>.Fail(ErrorCodes.TargetFailed, message);
}
