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

    /// <summary>The API token file (hashes, each bound to a trust name); without one, only public endpoints answer.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Requests a minute one actor's tokens may make; 0 for no limit.</summary>
    public int TokenRateLimit { get; init; } = DefaultTokenRateLimit;

    public const int DefaultTokenRateLimit = 600_000;

    /// <summary>Requests a minute one client address may make without a valid token; 0 for no limit.</summary>
    public int AnonymousRateLimit { get; init; } = DefaultAnonymousRateLimit;

    public const int DefaultAnonymousRateLimit = 60_000;
}
