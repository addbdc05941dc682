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

    /// <summary>Also act as a C2SP tlog-witness for other logs (<c>serve --witness</c>).</summary>
    public Witnessing.WitnessOptions? Witness { get; init; }

    /// <summary>The log's tlog-policy (<c>serve --witnesses</c>): its witnesses, with URLs, cosign each checkpoint before it is served and its appends answered.</summary>
    public Transparency.TlogPolicy? Witnesses { get; init; }

    /// <summary>How long the log waits for its witnesses' cosignatures on one checkpoint.</summary>
    public TimeSpan WitnessTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
