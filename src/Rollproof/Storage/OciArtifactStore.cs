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
        await using var staged = PrivateCopy.Create("rollproof-oci-");
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
        using (response)
        await using (var body = await response.Content.ReadAsStreamAsync(cancellation))
            return await PrivateCopy.VerifiedAsync(body, digest, "rollproof-oci-", registry.Repository.ToString(), cancellation);
    }

    public async Task<bool> ExistsAsync(Sha256Digest digest, CancellationToken cancellation = default)
    {
        var exists = await registry.BlobExistsAsync(digest, cancellation);
        return exists.IsOk ? exists.Value : throw new ProblemException(exists.Problem);
    }
}
