namespace Rollproof.Server;

/// <summary>
/// What <c>rollproof serve</c> was told: the store it serves (and alone appends to), where it listens, and the log key
/// it signs with (default: the key the store's log was created with).
/// </summary>
public sealed record ServerOptions(string StoreDirectory, ListenAddress Listen)
{
    /// <summary>A key file for the log's key, in place of the one the store's log recorded at init.</summary>
    public string? LogKey { get; init; }

    /// <summary>How long the log waits to gather appends into one checkpoint; zero publishes as soon as the disk allows.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.Zero;

    /// <summary>The largest blob a client may upload (<c>PUT /api/rollproof/v1/blobs/…</c>).</summary>
    public long MaxBlobSize { get; init; } = 1L << 30;
}
