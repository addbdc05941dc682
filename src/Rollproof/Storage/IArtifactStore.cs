using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// Content-addressed, write-once storage for release artifacts, SBOMs, statements and snapshots. A blob is named by
/// its SHA-256, is never overwritten, and is re-checked against its digest on every read.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Stores the stream's bytes and returns their digest; storing the same bytes again is a no-op.</summary>
    Task<Sha256Digest> PutAsync(Stream content, CancellationToken cancellation = default);

    /// <summary>Opens a blob for reading after checking its digest; missing or corrupt blobs are problems, not exceptions.</summary>
    Task<Result<Stream>> OpenAsync(Sha256Digest digest, CancellationToken cancellation = default);

    Task<bool> ExistsAsync(Sha256Digest digest, CancellationToken cancellation = default);

    /// <summary>
    /// Reads a small blob (a statement, an envelope) into memory. Stores whose <see cref="OpenAsync"/> hands out a
    /// private, already checked copy can use this default; one that hands out the blob itself must check the bytes
    /// it returns, so that no change between the check and the read slips through.
    /// </summary>
    async Task<Result<byte[]>> ReadAllAsync(Sha256Digest digest, long maxSize, CancellationToken cancellation = default)
    {
        var opened = await OpenAsync(digest, cancellation);
        if (!opened.IsOk)
            return opened.Problem;
        await using var blob = opened.Value;
        if (blob.Length > maxSize)
            return Result<byte[]>.Fail(ErrorCodes.InputTooLarge, $"blob {digest} is larger than the {maxSize} bytes expected here");
        var bytes = new byte[blob.Length];
        await blob.ReadExactlyAsync(bytes, cancellation);
        return Result<byte[]>.Ok(bytes);
    }

    /// <summary>Checks a blob's presence and digest without handing out its bytes.</summary>
    async Task<Problem?> VerifyAsync(Sha256Digest digest, CancellationToken cancellation = default)
    {
        var opened = await OpenAsync(digest, cancellation);
        if (!opened.IsOk)
            return opened.Problem;
        await opened.Value.DisposeAsync();
        return null;
    }
}
