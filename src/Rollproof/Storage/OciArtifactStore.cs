using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// The artifact store in one repository of an OCI registry: each blob is an OCI blob under its sha256 digest, which
/// is the registry's own addressing. Uploads are staged and hashed first and skipped when the registry has the blob;
/// every read is downloaded to a private temporary file and re-hashed before it is handed out. Where the interface has
/// no room for a problem (a put, an existence check), a refusal by the registry is a <see cref="ProblemException"/>.
/// </summary>
public sealed class OciArtifactStore(OciRegistryClient registry) : IArtifactStore
{
    public async Task<Sha256Digest> PutAsync(Stream content, CancellationToken cancellation = default)
    {
        // The digest names the upload, and is known only once the bytes are read: stage them in a temporary file.
        await using var staged = TempFile();
        var digest = await HashingCopy.CopyAsync(content, staged, cancellation);
        var exists = await registry.BlobExistsAsync(digest, cancellation);
        if (exists.IsOk && exists.Value)
            return digest;
        staged.Position = 0;
        var pushed = exists.IsOk ? await registry.PushBlobAsync(digest, staged, cancellation) : exists.Problem;
        return pushed is null ? digest : throw new ProblemException(pushed);
    }

    public async Task<Result<Stream>> OpenAsync(Sha256Digest digest, CancellationToken cancellation = default)
    {
        var fetched = await registry.GetBlobAsync(digest, cancellation);
        if (!fetched.IsOk)
            return fetched.Problem;
        if (fetched.Value is not { } response)
            return Result<Stream>.Fail(ErrorCodes.BlobMissing, $"blob {digest} is not in {registry.Repository}");
        var copy = TempFile();
        try
        {
            using (response)
            await using (var body = await response.Content.ReadAsStreamAsync(cancellation))
            {
                var actual = await HashingCopy.CopyAsync(body, copy, cancellation);
                if (actual != digest)
                {
                    await copy.DisposeAsync();
                    return Result<Stream>.Fail(ErrorCodes.BlobCorrupt, $"blob {digest} in {registry.Repository} has been altered: its content now hashes to {actual}");
                }
            }
            copy.Position = 0;
            return Result<Stream>.Ok(copy);
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> ExistsAsync(Sha256Digest digest, CancellationToken cancellation = default)
    {
        var exists = await registry.BlobExistsAsync(digest, cancellation);
        return exists.IsOk ? exists.Value : throw new ProblemException(exists.Problem);
    }

    // Private to this process, and gone when closed.
    private static FileStream TempFile() =>
        new(Path.Combine(Path.GetTempPath(), "rollproof-oci-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
