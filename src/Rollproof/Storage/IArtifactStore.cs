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
}
