using System.Formats.Tar;
using System.IO.Compression;
using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Targets;

/// <summary>
/// Releases unpacked by artifact digest under <c>releases/HEX/</c>: the artifact is copied out of the store and hashed
/// on the way, and unpacked only if it is what the signed release names. A tar (gzip or not) becomes the folder's
/// content; any other file is placed as itself, executable. Entries may not leave the folder, links and devices are
/// refused, and the whole is bounded. Unpacking is all or nothing (a temporary folder renamed into place), so a crash
/// leaves either nothing or the complete release, and unpacking the same digest again is a no-op.
/// </summary>
public sealed class ReleaseDirectories(string root)
{
    public const long MaxUnpackedBytes = 8L << 30;
    private const string Marker = ".rollproof-artifact";

    public string Root { get; } = Path.GetFullPath(root);

    public string PathOf(Sha256Digest digest) => Path.Combine(Root, digest.Hex);

    public async Task<Result<string>> UnpackAsync(IArtifactStore artifacts, Sha256Digest digest, string name, CancellationToken cancellation)
    {
        var final = PathOf(digest);
        if (File.Exists(Path.Combine(final, Marker)) && File.ReadAllText(Path.Combine(final, Marker)).Trim() == digest.ToString())
            return Result<string>.Ok(final);
        Directory.CreateDirectory(Root);
        var opened = await artifacts.OpenAsync(digest, cancellation);
        if (!opened.IsOk)
            return opened.Problem;
        await using var copy = PrivateCopy.Create("rollproof-unpack-");
        await using (var source = opened.Value)
            if (await HashingCopy.CopyAsync(source, copy, cancellation) != digest)
                return Fail($"the artifact read from the store does not hash to {digest}: refusing to unpack it");
        copy.Position = 0;

        var staging = Path.Combine(Root, $".unpacking-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var unpacked = await ExtractAsync(copy, staging, name, cancellation);
            if (unpacked is { } refused)
                return refused;
            await File.WriteAllTextAsync(Path.Combine(staging, Marker), digest + "\n", cancellation);
            if (Directory.Exists(final))
                Directory.Delete(final, recursive: true); // an earlier attempt without its marker: incomplete
            Directory.Move(staging, final);
            Posix.FsyncDirectory(Root);
            return Result<string>.Ok(final);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static async Task<Result<string>?> ExtractAsync(FileStream copy, string staging, string name, CancellationToken cancellation)
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

    private static Result<string> Fail(string message) => Result<string>.Fail(ErrorCodes.TargetFailed, message);
}
