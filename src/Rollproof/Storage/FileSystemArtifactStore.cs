using System.Security.Cryptography;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// The default artifact store: a local directory of blobs at <c>sha256/ab/abcdef…</c>. Writes stream through a hash
/// into a temporary file (written back to disk as it grows) that is fsynced and then moved into place, so a blob under its name is always complete and
/// correct; an existing blob is never replaced.
/// </summary>
public sealed class FileSystemArtifactStore(string root) : IArtifactStore
{
    private const int BufferSize = 1 << 20;

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<Sha256Digest> PutAsync(Stream content, CancellationToken cancellation = default)
    {
        var incoming = Path.Combine(Root, "incoming");
        Directory.CreateDirectory(incoming);
        var temp = Path.Combine(incoming, Guid.NewGuid().ToString("N"));
        try
        {
            Sha256Digest digest;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                digest = await HashingCopy.CopyAsync(content, file, cancellation, (offset, length) => Posix.StartWriteback(file.SafeFileHandle, offset, length));
                file.Flush(flushToDisk: true);
            }
            var path = PathOf(digest);
            if (File.Exists(path))
                return digest; // content-addressed: the same name means the same bytes
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // blobs are immutable
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                return digest; // another writer stored the same bytes first
            }
            Posix.FsyncDirectory(Path.GetDirectoryName(path)!);
            return digest;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<Result<Stream>> OpenAsync(Sha256Digest digest, CancellationToken cancellation = default)
    {
        var path = PathOf(digest);
        if (!File.Exists(path))
            return Result<Stream>.Fail(ErrorCodes.BlobMissing, $"blob {digest} is not in the artifact store at {Root}");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        try
        {
            var actual = Sha256Digest.FromHash(await SHA256.HashDataAsync(file, cancellation));
            if (actual != digest)
            {
                await file.DisposeAsync();
                return Altered(digest, actual);
            }
            file.Position = 0;
            return Result<Stream>.Ok(file);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Reads a small blob (a statement, an envelope) into memory and checks the bytes it returns, so no change made
    /// between the check and the read can slip through.
    /// </summary>
    public async Task<Result<byte[]>> ReadAllAsync(Sha256Digest digest, long maxSize, CancellationToken cancellation = default)
    {
        var path = PathOf(digest);
        if (!File.Exists(path))
            return Result<byte[]>.Fail(ErrorCodes.BlobMissing, $"blob {digest} is not in the artifact store at {Root}");
        if (new FileInfo(path).Length > maxSize)
            return Result<byte[]>.Fail(ErrorCodes.InputTooLarge, $"blob {digest} is larger than the {maxSize} bytes expected here");
        var bytes = await File.ReadAllBytesAsync(path, cancellation);
        var actual = Sha256Digest.Of(bytes);
        return actual == digest ? Result<byte[]>.Ok(bytes) : Altered(digest, actual);
    }

    public Task<bool> ExistsAsync(Sha256Digest digest, CancellationToken cancellation = default) => Task.FromResult(File.Exists(PathOf(digest)));

    public long Size(Sha256Digest digest) => new FileInfo(PathOf(digest)).Length;

    /// <summary>Removes a blob, first moving it under <paramref name="archive"/> (same relative path) when one is given.</summary>
    public void Remove(Sha256Digest digest, string? archive)
    {
        var path = PathOf(digest);
        if (archive is null)
        {
            File.Delete(path);
            return;
        }
        var target = Path.Combine(Path.GetFullPath(archive), Path.GetRelativePath(Root, path));
        if (!File.Exists(target)) // content-addressed: an archived blob of that name already holds these bytes
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
            Posix.FsyncFile(target);
        }
        File.Delete(path);
    }

    private Problem Altered(Sha256Digest digest, Sha256Digest actual) =>
        new(ErrorCodes.BlobCorrupt, $"blob {digest} in {Root} has been altered: its content now hashes to {actual}");

    private string PathOf(Sha256Digest digest) => Path.Combine(Root, "sha256", digest.Hex[..2], digest.Hex);
}
