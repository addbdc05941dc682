using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// The artifact store in an S3-compatible bucket (path-style addressing, so MinIO, Ceph and test servers work): blobs
/// at <c>PREFIX/sha256/ab/abcdef…</c>, uploaded once, and re-hashed on every read so an object changed in the bucket
/// is refused.
/// </summary>
public sealed class S3ArtifactStore(IAmazonS3 client, string bucket, string prefix = "") : IArtifactStore
{
    /// <summary>
    /// Client settings for S3-compatible servers: path-style addressing, and checksums only where S3 requires them,
    /// since the SDK's default streaming checksums and chunked uploads are not understood by every implementation.
    /// </summary>
    public static AmazonS3Config CompatibleConfig(string serviceUrl) => new()
    {
        ServiceURL = serviceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
    };

    public async Task<Sha256Digest> PutAsync(Stream content, CancellationToken cancellation = default)
    {
        // The key is the digest, known only once the bytes are read: stage them in a temporary file.
        var temp = Path.Combine(Path.GetTempPath(), "rollproof-s3-" + Guid.NewGuid().ToString("N"));
        try
        {
            Sha256Digest digest;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
                digest = await HashingCopy.CopyAsync(content, file, cancellation);
            if (!await ExistsAsync(digest, cancellation))
                await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = KeyOf(digest), FilePath = temp, UseChunkEncoding = false }, cancellation);
            return digest;
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task<Result<Stream>> OpenAsync(Sha256Digest digest, CancellationToken cancellation = default)
    {
        GetObjectResponse response;
        try
        {
            response = await client.GetObjectAsync(bucket, KeyOf(digest), cancellation);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return Result<Stream>.Fail(ErrorCodes.BlobMissing, $"blob {digest} is not in bucket '{bucket}'");
        }
        using (response)
        await using (var body = response.ResponseStream)
            return await PrivateCopy.VerifiedAsync(body, digest, "rollproof-s3-", $"bucket '{bucket}'", cancellation);
    }

    public async Task<bool> ExistsAsync(Sha256Digest digest, CancellationToken cancellation = default)
    {
        try
        {
            await client.GetObjectMetadataAsync(bucket, KeyOf(digest), cancellation);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private string KeyOf(Sha256Digest digest) => $"{prefix}sha256/{digest.Hex[..2]}/{digest.Hex}";
}
