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

    /// <summary>A certificate to serve HTTPS with: a PEM file with <see cref="TlsKeyFile"/>, or a PKCS#12 (PFX) file alone. None: plain HTTP.</summary>
    public string? TlsCertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="TlsCertificateFile"/>.</summary>
    public string? TlsKeyFile { get; init; }

    /// <summary>Where the request log's JSON lines go: this file, appended to; stderr when null.</summary>
    public string? RequestLogFile { get; init; }

    /// <summary>The largest blob a client may upload (<c>PUT /api/rollproof/v1/blobs/…</c>).</summary>
    public long MaxBlobSize { get; init; } = 1L << 30;

    /// <summary>Also act as a C2SP tlog-witness for other logs (<c>serve --witness</c>).</summary>
    public Witnessing.WitnessOptions? Witness { get; init; }

    /// <summary>The log's tlog-policy (<c>serve --witnesses</c>): its witnesses, with URLs, cosign each checkpoint before it is served and its appends answered.</summary>
    public Transparency.TlogPolicy? Witnesses { get; init; }

    /// <summary>How long the log waits for its witnesses' cosignatures on one checkpoint.</summary>
    public TimeSpan WitnessTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the log waits before gathering again for a checkpoint withheld for want of its quorum; appends that
    /// wait for it are answered 503 with this as <c>Retry-After</c>.
    /// </summary>
    public TimeSpan WitnessRetry { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long an environment lock's run counts as under way after its client last renewed it (<c>serve --lock-lease</c>).</summary>
    public TimeSpan LockLease { get; init; } = DefaultLockLease;

    public static readonly TimeSpan DefaultLockLease = TimeSpan.FromSeconds(60);

    /// <summary>The API token file (hashes, each bound to a trust name); without one, only public endpoints answer.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Requests a minute one actor's tokens may make; 0 for no limit.</summary>
    public int TokenRateLimit { get; init; } = DefaultTokenRateLimit;

    public const int DefaultTokenRateLimit = 600_000;

    /// <summary>Requests a minute one client address may make without a valid token; 0 for no limit.</summary>
    public int AnonymousRateLimit { get; init; } = DefaultAnonymousRateLimit;

    public const int DefaultAnonymousRateLimit = 60_000;
}
