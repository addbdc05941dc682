using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases.Provenance;
using Rollproof.Releases.Sbom;
using Rollproof.Signing;
using Rollproof.Sigstore;
using Rollproof.Storage;
using Rollproof.Storage.Remote;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Releases;

/// <summary>
/// A Rollproof store: the transparency log (<c>log/</c>), the artifact store (<c>artifacts/</c>), one record per
/// release (<c>releases/APP/VERSION.json</c>, with its <c>.tlog-proof</c> receipt), and the store's trust file
/// (<c>trust.json</c>), which verifiers use unless given their own. Releases are immutable: a version is published
/// once. The log is the source of truth; records only say where to look.
/// </summary>
public sealed class ReleaseStore
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };
    private static readonly JsonSerializerOptions RecordJson = new(Json) { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    /// <summary>A release record names a release's files by digest; far below this, whatever it holds.</summary>
    private const long MaxRecordSize = 1 << 20;

    private ReleaseStore(string root, LogDirectory log, ArtifactLocation? artifacts, IArtifactStore? blobs = null)
    {
        Root = root;
        Log = log;
        ArtifactLocation = artifacts;
        Artifacts = blobs ?? artifacts?.Open() ?? new FileSystemArtifactStore(Path.Combine(root, "artifacts"));
    }

    public string Root { get; }

    public LogDirectory Log { get; }

    /// <summary>Where the blobs are kept when not in the store's own <c>artifacts/</c> directory.</summary>
    public ArtifactLocation? ArtifactLocation { get; }

    public IArtifactStore Artifacts { get; }

    /// <summary>The server this store is a replica of (<see cref="ServerReplica"/>); null for a local store.</summary>
    public ServerClient? Server { get; private init; }

    /// <summary>
    /// Creates a store in a new or empty directory. Without <paramref name="logKeyFile"/>, a fresh Ed25519 log key is
    /// written to <c>.rollproof/log.key</c> (mode 0600, unencrypted: the log signs unattended). The trust file gets
    /// the log's public key (kind <c>checkpoint</c>); without <paramref name="trust"/>, it names no other key, and the first key to publish a release is trusted from
    /// then on (<see cref="TrustOnFirstUse"/>). With <paramref name="artifacts"/>, blobs go there instead of
    /// <c>artifacts/</c>; the choice is kept in <c>.rollproof/store.json</c>.
    /// </summary>
    public static Result<ReleaseStore> Init(string root, string origin, string? logKeyFile = null, TrustFile? trust = null, TimeProvider? clock = null, ArtifactLocation? artifacts = null)
    {
        root = Path.GetFullPath(root);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            return Result<ReleaseStore>.Fail(ErrorCodes.LogAlreadyInitialised, $"'{root}' is not empty: a store is created in a new or empty directory");
        if (!NoteKeyId.IsValidName(origin))
            return Result<ReleaseStore>.Fail(ErrorCodes.CheckpointMalformed, $"origin '{origin}' must be non-empty and contain no spaces or '+' (e.g. example.com/releases)");
        if (logKeyFile is null)
        {
            logKeyFile = Path.Combine(root, ".rollproof", "log.key");
            Directory.CreateDirectory(Path.GetDirectoryName(logKeyFile)!);
            SecretFile.WriteNew(logKeyFile, NoteKeys.GenerateEd25519(origin).SignerKey);
        }
        var log = LogDirectory.Init(Path.Combine(root, "log"), origin, logKeyFile, clock);
        if (!log.IsOk)
            return log.Problem;
        var store = new ReleaseStore(root, log.Value, artifacts);
        var anchors = TrustAnchors.Entry(WithLogKey(trust ?? TrustFile.Empty, log.Value));
        if (anchors.Length > EntryBundle.MaxEntrySize)
            return Result<ReleaseStore>.Fail(ErrorCodes.EntryTooLarge, $"the starting trust is {anchors.Length} bytes, more than a log entry holds ({EntryBundle.MaxEntrySize}): start with fewer keys and add the rest with 'rollproof trust add'");
        // The writer completes appends on the thread pool; running it there keeps a caller's synchronization context out of it.
        var logged = Task.Run(() => store.Log.AppendAsync(anchors, clock ?? TimeProvider.System)).GetAwaiter().GetResult();
        if (!logged.IsOk)
            return logged.Problem;
        var written = store.WriteTrustFile();
        if (!written.IsOk)
            return written.Problem;
        Directory.CreateDirectory(Path.Combine(root, ".rollproof"));
        DurableFile.Replace(ConfigPath(root), JsonSerializer.SerializeToUtf8Bytes(new StoreConfig(artifacts?.Url), Json));
        return Result<ReleaseStore>.Ok(store);
    }

    // The log's checkpoint key goes into the trust file, so that one file is all an offline verifier needs.
    private static TrustFile WithLogKey(TrustFile trust, LogDirectory log)
    {
        if (trust.Keys.Any(k => k.Kinds.Contains(LogPublicKeys.Kind)))
            return trust;
        var key = LogPublicKeys.ToPublicKey(log.Verifier);
        var name = trust.Keys.Any(k => k.Name == "log") ? $"log-{key.KeyId[..12]}" : "log";
        return trust.With(new TrustedKey(name, key, new HashSet<string>([LogPublicKeys.Kind], StringComparer.Ordinal), LogSeconds.Floor(log.Config.CreatedAt ?? DateTimeOffset.UnixEpoch), null));
    }

    /// <summary>The store's trust file: the trust its log establishes, written out for verifiers to copy.</summary>
    public string TrustPath => Path.Combine(Root, "trust.json");

    // One reference, swapped whole: a server reads it from many requests at once, and must never see half of one state.
    private sealed record LogState(long Size, string Root, KindMap Map, DerivedTrust Trust);

    private volatile LogState? _derived;

    /// <summary>
    /// The trust the store's log establishes (<see cref="TrustHistory"/>): its anchors and its logged key changes.
    /// The trust file must say exactly that: one edited by hand is refused, never believed. A missing one is written
    /// again from the log.
    /// </summary>
    public Result<TrustFile> ReadTrust()
    {
        var read = ReadTrustAtCheckpoint();
        return read.IsOk ? Result<TrustFile>.Ok(read.Value.Trust) : read.Problem;
    }

    /// <summary>
    /// The trust as <see cref="ReadTrust"/> gives it, with the checkpoint it was derived at: one read of the checkpoint,
    /// so a caller judging a statement "as of the log now" judges it by the trust of that very checkpoint.
    /// </summary>
    public Result<TrustedCheckpoint> ReadTrustAtCheckpoint()
    {
        var read = ReadCheckpointAndState();
        if (!read.IsOk)
            return read.Problem;
        var (checkpoint, state) = read.Value;
        var trust = TrustFileAgreeing(state.Trust);
        return trust.IsOk ? Result<TrustedCheckpoint>.Ok(new TrustedCheckpoint(trust.Value, checkpoint, state.Map)) : trust.Problem;
    }

    // The trust file, which must say what the log establishes; written again from the log if missing.
    private Result<TrustFile> TrustFileAgreeing(DerivedTrust derived)
    {
        if (!File.Exists(TrustPath))
            return WriteTrustFile();
        var bytes = InputFile.Read(TrustPath, TrustFile.MaxSize, "the store's trust file");
        if (!bytes.IsOk)
            return bytes.Problem;
        if (_agreed is { } agreed && ReferenceEquals(agreed.Derived, derived) && agreed.Bytes.AsSpan().SequenceEqual(bytes.Value))
            return Result<TrustFile>.Ok(derived.Trust);
        var parsed = TrustFile.Parse(bytes.Value);
        if (!parsed.IsOk)
            return parsed.Problem with { Message = $"{TrustPath}: {parsed.Problem.Message}" };
        if (TrustDifference.Between(parsed.Value, derived.Trust) is { } difference)
            return Result<TrustFile>.Fail(ErrorCodes.TrustFileMismatch, $"{TrustPath} disagrees with the key changes in the store's log: {difference}. The log is the record: delete the file to have it written again from the log, and change trust only with 'rollproof trust add' or 'trust revoke'");
        _agreed = new AgreedTrustFile(bytes.Value, derived);
        return Result<TrustFile>.Ok(derived.Trust);
    }

    // The trust file's bytes last found to agree with a derived trust: a server reads the file on every submission,
    // and the same bytes against the same derivation agree again without being parsed (their keys imported) anew.
    private sealed record AgreedTrustFile(byte[] Bytes, DerivedTrust Derived);

    private volatile AgreedTrustFile? _agreed;

    /// <summary>The trust the log establishes, with the key changes it set aside; worked out once per checkpoint.</summary>
    public Result<DerivedTrust> DeriveTrust()
    {
        var read = ReadLogState();
        return read.IsOk ? Result<DerivedTrust>.Ok(read.Value.Trust) : read.Problem;
    }

    /// <summary>Where each kind of statement is in the log as of its current checkpoint, and the trust the log establishes.</summary>
    public Result<(KindMap Map, DerivedTrust Trust)> ReadLogState() => ReadCheckpointAndState().Map(read => read.State);

    // Readers in one process (the server's concurrent requests) race: a checkpoint read just before another reader
    // saved the map of a newer tree reads as a rewind (RP1203). A later read is at least as new as any saved map, so
    // the check is made again on it; a log truly rewound or forked stays behind and is refused again. A few reads, not
    // two: a busy server can publish once more while a reader waits for the state of the checkpoint before; and more
    // while each read finds a larger tree than the one before it, which a rewound log never does.
    private const int MaxCheckpointReads = 4;
    private const int MaxCheckpointReadsWhileGrowing = 64;

    private Result<(VerifiedCheckpoint Checkpoint, (KindMap Map, DerivedTrust Trust) State)> ReadCheckpointAndState()
    {
        var previousSize = -1L;
        for (var attempt = 1; ; attempt++)
        {
            var checkpoint = Log.ReadCheckpoint();
            if (!checkpoint.IsOk)
                return checkpoint.Problem;
            var state = ReadLogState(checkpoint.Value);
            if (state.IsOk)
                return Result<(VerifiedCheckpoint, (KindMap, DerivedTrust))>.Ok((checkpoint.Value, state.Value));
            var size = checkpoint.Value.Checkpoint.Size;
            var growing = previousSize >= 0 && size > previousSize && attempt < MaxCheckpointReadsWhileGrowing;
            if ((attempt >= MaxCheckpointReads && !growing) || state.Problem.Code != ErrorCodes.CheckpointInconsistent)
                return state.Problem;
            previousSize = size;
        }
    }

    private Result<(KindMap Map, DerivedTrust Trust)> ReadLogState(VerifiedCheckpoint checkpoint)
    {
        var (size, root) = (checkpoint.Checkpoint.Size, Convert.ToHexStringLower(checkpoint.Checkpoint.RootHash));
        if (_derived is { } known && known.Size == size && known.Root == root)
            return Result<(KindMap, DerivedTrust)>.Ok((known.Map, known.Trust));
        // One reader works a new checkpoint out; the others (a server's clients all submit again the moment their
        // batch lands) wait for it and take its result rather than each reading the same new entries again.
        lock (_deriving)
        {
            if (_derived is { } derived && derived.Size == size && derived.Root == root)
                return Result<(KindMap, DerivedTrust)>.Ok((derived.Map, derived.Trust));
            // A newer checkpoint was worked out while this reader waited: it reads the checkpoint again rather than
            // put the state back behind it (its cache file is already at the newer tree).
            if (_derived is { } newer && newer.Size > size)
                return Result<(KindMap, DerivedTrust)>.Fail(ErrorCodes.CheckpointInconsistent, $"the checkpoint read (size {size}) is older than the state already worked out (size {newer.Size})");
            return DeriveLogState(checkpoint, size, root);
        }
    }

    private readonly Lock _deriving = new();

    private Result<(KindMap Map, DerivedTrust Trust)> DeriveLogState(VerifiedCheckpoint checkpoint, long size, string root)
    {
        var cache = KindMapCache.PathFor(Log.Config);
        var remembered = KindMapCache.Load(cache, Log, checkpoint.Checkpoint);
        if (!remembered.IsOk)
            return remembered.Problem;
        var map = remembered.Value.Extend(Log, checkpoint.Checkpoint);
        if (!map.IsOk)
            return map.Problem;
        if (map.Value.Size > remembered.Value.Size)
            KindMapCache.Save(cache, map.Value, checkpoint.Checkpoint);
        var derived = TrustHistory.Derive(Log, map.Value);
        if (!derived.IsOk)
            return derived.Problem;
        _derived = new LogState(size, root, map.Value, derived.Value);
        return Result<(KindMap, DerivedTrust)>.Ok((map.Value, derived.Value));
    }

    /// <summary>Writes the trust file again from the log, after a key change or when it is missing.</summary>
    public Result<TrustFile> WriteTrustFile()
    {
        var derived = DeriveTrust();
        if (!derived.IsOk)
            return derived.Problem;
        DurableFile.Replace(TrustPath, derived.Value.Trust.ToJson());
        return Result<TrustFile>.Ok(derived.Value.Trust);
    }

    /// <summary>
    /// Checked before anything is logged, so a release by a key the trust does not allow uses up no version: the
    /// envelope must be signed by a key the trust lets sign releases now. While the trust names no release key, the
    /// publishing key is trusted on first use, by a key change it signs itself and that is logged first: then that
    /// key is returned.
    /// </summary>
    private async Task<Result<TrustedKey?>> AdmitSignerAsync(string app, string version, DsseEnvelope envelope, IStatementSigner? signer, TimeProvider clock)
    {
        var trust = ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        TrustedKey? firstUse = null;
        if (!trust.Value.Keys.Any(k => k.Kinds.Contains(KnownKinds.Release)))
        {
            if (signer is null)
                return Result<TrustedKey?>.Fail(ErrorCodes.KeyNotTrusted, "the store trusts no key to sign releases yet: publish once with --key (that key is then trusted on first use, by a logged key change), or trust one with 'rollproof trust add'");
            var added = await Log.AppendAsync(KeyChangeStatement.FirstUse(signer.PublicKey, clock.GetUtcNow()).Sign(signer).ToJson(), clock);
            if (!added.IsOk)
                return added.Problem;
            trust = WriteTrustFile();
            if (!trust.IsOk)
                return trust.Problem;
            firstUse = trust.Value.Keys.FirstOrDefault(k => k.AddedAt == added.Value.Index);
        }
        var size = Log.ReadCheckpoint();
        if (!size.IsOk)
            return size.Problem;
        var keys = trust.Value.KeysFor(KnownKinds.Release, clock.GetUtcNow(), size.Value.Checkpoint.Size);
        return envelope.Verify(keys).IsOk
            ? Result<TrustedKey?>.Ok(firstUse)
            : Result<TrustedKey?>.Fail(ErrorCodes.KeyNotTrusted, $"{app} {version} is signed by no key the store's trust lets sign releases now ({keys.Count} such key(s)): nothing was logged");
    }

    public static Result<ReleaseStore> Open(string root)
    {
        root = Path.GetFullPath(root);
        if (!Directory.Exists(Path.Combine(root, "log")))
            return Result<ReleaseStore>.Fail(ErrorCodes.StoreNotInitialised, $"'{root}' is not a Rollproof store; create one with 'rollproof init'");
        var log = LogDirectory.Open(Path.Combine(root, "log"));
        if (!log.IsOk)
            return log.Problem;
        var config = ReadConfig(root);
        if (!config.IsOk)
            return config.Problem;
        if (config.Value.Server is { } server)
            return OpenReplica(root, log.Value, new Uri(server));
        var artifacts = ArtifactLocationOf(config.Value, root);
        return artifacts.IsOk ? Result<ReleaseStore>.Ok(new ReleaseStore(root, log.Value, artifacts.Value)) : artifacts.Problem;
    }

    // A replica of a served store (ServerReplica): blobs come from the server, appends go to it, and it is brought up
    // to the server's verified checkpoint before any command reads it.
    private static Result<ReleaseStore> OpenReplica(string root, LogDirectory log, Uri server)
    {
        if (!log.Config.IsReplica)
            return Result<ReleaseStore>.Fail(ErrorCodes.StoreNotInitialised, $"'{root}' names the server {server} but its log is not a replica");
        var client = new ServerClient(server);
        var store = new ReleaseStore(root, log, null, new HttpArtifactStore(client, new FileSystemArtifactStore(Path.Combine(root, "artifacts")))) { Server = client };
        log.Appender = new RemoteAppender(store, client);
        return ServerReplica.Sync(store, client) is { } problem ? problem : Result<ReleaseStore>.Ok(store);
    }

    /// <summary>
    /// Writes the record of a release the log holds at <paramref name="index"/> (<paramref name="envelope"/> is that
    /// entry), unless one with a log index exists: the first release of a version in the log is the release.
    /// </summary>
    internal Problem? AdoptLoggedRelease(long index, byte[] envelope)
    {
        var opened = ReleaseStatement.Open(envelope);
        if (!opened.IsOk)
            return null; // not a release this store can read: the verifier says so when asked about it
        var (app, version) = (opened.Value.Predicate.App, opened.Value.Predicate.Version);
        if (!Names.IsValid(app) || !Names.IsValid(version) || Find(app, version) is { IsOk: true, Value.LogIndex: not null })
            return null;
        var timestamp = Log.Timestamps.Read(index);
        if (!timestamp.IsOk)
            return timestamp.Problem;
        var receipt = Receipt(index);
        if (!receipt.IsOk)
            return receipt.Problem;
        Directory.CreateDirectory(Path.GetDirectoryName(RecordPath(app, version, ".tlog-proof"))!);
        DurableFile.Replace(RecordPath(app, version, ".tlog-proof"), System.Text.Encoding.UTF8.GetBytes(receipt.Value.Format()));
        WriteRecord(new ReleaseRecord(app, version, Sha256Digest.Of(envelope).ToString(), index, timestamp.Value?.Time ?? DateTimeOffset.UnixEpoch, timestamp.Value));
        return null;
    }

    private sealed record StoreConfig(string? Artifacts, string? Server = null);

    private static string ConfigPath(string root) => Path.Combine(root, ".rollproof", "store.json");

    // Stores made before the choice existed have no config: their blobs are in artifacts/.
    private static Result<StoreConfig> ReadConfig(string root)
    {
        var path = ConfigPath(root);
        if (!File.Exists(path))
            return Result<StoreConfig>.Ok(new StoreConfig(null));
        try
        {
            var bytes = InputFile.Read(path, 64 * 1024, "the store's configuration");
            if (!bytes.IsOk)
                return bytes.Problem;
            var config = JsonSerializer.Deserialize<StoreConfig>(bytes.Value, Json);
            if (config?.Server is { } server && !Uri.TryCreate(server, UriKind.Absolute, out _))
                return Result<StoreConfig>.Fail(ErrorCodes.InputMalformed, $"{path}: server '{server}' is not an absolute URL");
            return Result<StoreConfig>.Ok(config ?? new StoreConfig(null));
        }
        catch (JsonException e)
        {
            return Result<StoreConfig>.Fail(ErrorCodes.InputMalformed, $"{path} is damaged: {e.Message}");
        }
    }

    private static Result<ArtifactLocation?> ArtifactLocationOf(StoreConfig config, string root)
    {
        if (config.Artifacts is not { } url)
            return Result<ArtifactLocation?>.Ok(null);
        var location = ArtifactLocation.Parse(url);
        return location.IsOk ? Result<ArtifactLocation?>.Ok(location.Value) : location.Problem with { Message = $"{ConfigPath(root)}: {location.Problem.Message}" };
    }

    /// <summary>
    /// Stores the release's files, signs its statement, appends the envelope to the log and writes the receipt; with
    /// <paramref name="sigstoreBundle"/>, also logs the envelope's Rekor <c>dsse</c> body and makes a Sigstore bundle.
    /// A publish cut short is finished by publishing the same version again: the pending record keeps the envelope,
    /// and the log's dedup gives its entries back.
    /// </summary>
    public Task<Result<PublishedRelease>> PublishAsync(ReleaseDraft draft, IStatementSigner signer, TimeProvider clock, bool sigstoreBundle = false, CancellationToken cancellation = default) =>
        PublishAsync(draft.App, draft.Version, async () =>
        {
            var statement = await CreateStatementAsync(draft, cancellation);
            return statement.IsOk ? CheckSize(statement.Value.Sign(signer).ToJson()) : statement.Problem;
        }, signer, sigstoreBundle ? signer.PublicKey : null, clock, cancellation);

    /// <summary>
    /// Publishes an envelope signed elsewhere (<c>release create</c>, then <c>release sign</c>): it must hold a release
    /// statement whose every referenced file is already in this store. A Sigstore bundle needs the key that signed it.
    /// </summary>
    public async Task<Result<PublishedRelease>> PublishEnvelopeAsync(byte[] envelopeJson, TimeProvider clock, PublicKey? bundleSigner = null, CancellationToken cancellation = default)
    {
        var opened = ReleaseStatement.Open(envelopeJson);
        if (!opened.IsOk)
            return opened.Problem;
        var (envelope, statement, predicate) = opened.Value;
        foreach (var digest in ReleaseContents.Digests(statement, predicate))
        {
            var parsed = Sha256Digest.Parse(digest);
            if (!parsed.IsOk)
                return parsed.Problem;
            if (!await Artifacts.ExistsAsync(parsed.Value, cancellation))
                return Result<PublishedRelease>.Fail(ErrorCodes.BlobMissing, $"the statement names {digest}, which is not in the store: create the statement with 'release create' against this store");
        }
        if (await ReleaseCosignBundles.VerifyAsync(statement, predicate, Artifacts, clock.GetUtcNow(), cancellation) is { } bundles)
            return bundles;
        var canonical = CheckSize(envelope.ToJson());
        return await PublishAsync(predicate.App, predicate.Version, () => Task.FromResult(canonical), null, bundleSigner, clock, cancellation);
    }

    private async Task<Result<PublishedRelease>> PublishAsync(string app, string version, Func<Task<Result<byte[]>>> signEnvelope, IStatementSigner? signer, PublicKey? bundleSigner, TimeProvider clock, CancellationToken cancellation)
    {
        // One publish at a time: two racing publishes of a version must not log two different envelopes.
        Directory.CreateDirectory(Path.Combine(Root, "releases"));
        FileStream publishLock;
        try
        {
            publishLock = new FileStream(Path.Combine(Root, "releases", ".publish.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return Result<PublishedRelease>.Fail(ErrorCodes.LogLocked, $"another publish to {Root} is under way");
        }
        await using (publishLock)
            return await PublishLockedAsync(app, version, signEnvelope, signer, bundleSigner, clock, cancellation);
    }

    private async Task<Result<PublishedRelease>> PublishLockedAsync(string app, string version, Func<Task<Result<byte[]>>> signEnvelope, IStatementSigner? signer, PublicKey? bundleSigner, TimeProvider clock, CancellationToken cancellation)
    {
        if (Log.Config.Server is { } server && NotThroughServer(server, bundleSigner) is { } refused)
            return refused;
        var existing = Find(app, version);
        if (!existing.IsOk && existing.Problem.Code != ErrorCodes.ReleaseNotFound)
            return existing.Problem;
        if (existing.IsOk && existing.Value.LogIndex is not null)
            return Result<PublishedRelease>.Fail(ErrorCodes.ReleaseExists, $"{app} {version} is already published (log index {existing.Value.LogIndex}); releases are immutable");
        var record = existing.IsOk ? existing.Value : null;
        var envelope = record is null ? await signEnvelope() : await ReadEnvelopeAsync(record.EnvelopeDigest, cancellation);
        if (!envelope.IsOk)
            return envelope.Problem;
        var bytes = envelope.Value;
        // A resumed publish logs the envelope signed back then, so report that signer, not today's key.
        var logged = DsseEnvelope.Parse(bytes);
        if (!logged.IsOk)
            return logged.Problem;
        var admitted = await AdmitSignerAsync(app, version, logged.Value, signer, clock);
        if (!admitted.IsOk)
        {
            // A pending record whose envelope the trust refuses would hold the version for good: it goes.
            if (record is not null)
                File.Delete(RecordPath(app, version, ".json"));
            return admitted.Problem;
        }
        if (record is null)
        {
            var digest = await Artifacts.PutAsync(new MemoryStream(bytes), cancellation);
            record = new ReleaseRecord(app, version, digest.ToString(), null, clock.GetUtcNow());
            WriteRecord(record);
        }
        if (bundleSigner is not null)
        {
            var bundleable = SigstoreBundlePublisher.CheckBundleable(logged.Value, bundleSigner);
            if (bundleable is not null)
                return bundleable;
        }
        var appended = bundleSigner is null ? await AppendAsync(bytes, clock) : await AppendWithBundleAsync(bytes, logged.Value, bundleSigner, clock);
        if (!appended.IsOk)
            return appended.Problem;
        var (index, timestamp, bundle) = appended.Value;
        // The receipt and bundle first: a record with an index is final, and must never be left without them.
        var receipt = Receipt(index);
        if (!receipt.IsOk)
            return receipt.Problem;
        DurableFile.Replace(RecordPath(record.App, record.Version, ".tlog-proof"), System.Text.Encoding.UTF8.GetBytes(receipt.Value.Format()));
        var bundleDigest = bundle is null ? null : (await Artifacts.PutAsync(new MemoryStream(bundle), cancellation)).ToString();
        record = record with { LogIndex = index, Logged = timestamp, SigstoreBundleDigest = bundleDigest };
        WriteRecord(record);
        return Result<PublishedRelease>.Ok(new PublishedRelease(record, receipt.Value, logged.Value.Signatures[0].KeyId, bundle, admitted.Value));
    }

    // What a publish cannot do through a server, refused before anything is kept or sent (files included): a bundle,
    // whose Rekor body the log's own writer logs; and trust on first use, since no token acts for a key the log does
    // not hold yet.
    private Problem? NotThroughServer(string server, PublicKey? bundleSigner)
    {
        if (bundleSigner is not null)
            return new Problem(ErrorCodes.NotThroughServer, $"a Sigstore bundle cannot be made through the server {server} (its Rekor entry is logged by the log's own writer): publish through it without --bundle, or with --bundle and --store on the server's machine while the server is stopped; nothing was submitted");
        var trust = ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        return trust.Value.Keys.Any(k => k.Kinds.Contains(KnownKinds.Release)) ? null
            : new Problem(ErrorCodes.NotThroughServer, $"the store served at {server} trusts no key to sign releases yet, and a first release key cannot be trusted on first use through a server (no token acts for a key its log does not hold): an admin of its trust adds the key with 'rollproof trust add --server {server} --name NAME --public-key PUB --kind release --key ADMIN', or, where its trust names nobody yet, its operator stops the server and publishes once with --store on its machine; nothing was submitted");
    }

    private async Task<Result<(long, SignedEntryTimestamp, byte[]?)>> AppendAsync(byte[] envelope, TimeProvider clock)
    {
        var appended = await Log.AppendAsync(envelope, clock);
        return appended.IsOk ? Result<(long, SignedEntryTimestamp, byte[]?)>.Ok((appended.Value.Index, appended.Value.Timestamp, null)) : appended.Problem;
    }

    // The Rekor body is logged by the same writer: a replica of a served log has none, so it cannot make a bundle.
    private async Task<Result<(long, SignedEntryTimestamp, byte[]?)>> AppendWithBundleAsync(byte[] envelope, DsseEnvelope parsed, PublicKey bundleSigner, TimeProvider clock)
    {
        var opened = Log.OpenWriter(clock: clock);
        if (!opened.IsOk)
            return opened.Problem;
        await using var writer = opened.Value;
        var (index, timestamp) = await writer.Writer.AppendWithTimestampAsync(envelope);
        timestamp = Log.Timestamps.Keep(index, timestamp);
        var made = await SigstoreBundlePublisher.LogAndBundleAsync(this, writer.Writer, envelope, parsed, bundleSigner);
        return made.IsOk ? Result<(long, SignedEntryTimestamp, byte[]?)>.Ok((index, timestamp, made.Value)) : made.Problem;
    }

    public Result<ReleaseRecord> Find(string app, string version)
    {
        if (!Names.IsValid(app) || !Names.IsValid(version))
            return Result<ReleaseRecord>.Fail(ErrorCodes.InputMalformed, $"'{app}' '{version}': {Names.Rule}");
        var path = RecordPath(app, version, ".json");
        if (!File.Exists(path))
            return Result<ReleaseRecord>.Fail(ErrorCodes.ReleaseNotFound, $"{app} {version} has not been published to {Root}");
        return ReadRecord(path);
    }

    private static Result<ReleaseRecord> ReadRecord(string path)
    {
        var bytes = InputFile.Read(path, MaxRecordSize, "release record");
        if (!bytes.IsOk)
            return bytes.Problem;
        try
        {
            var record = JsonSerializer.Deserialize<ReleaseRecord>(bytes.Value, RecordJson);
            return record is null ? Result<ReleaseRecord>.Fail(ErrorCodes.InputMalformed, $"{path} is empty") : Result<ReleaseRecord>.Ok(record);
        }
        catch (JsonException e)
        {
            return Result<ReleaseRecord>.Fail(ErrorCodes.InputMalformed, $"release record {path} is damaged: {e.Message}");
        }
    }

    /// <summary>Every release record; a damaged one is reported by name rather than hidden.</summary>
    public Result<List<ReleaseRecord>> List()
    {
        var records = new List<ReleaseRecord>();
        if (!Directory.Exists(Path.Combine(Root, "releases")))
            return Result<List<ReleaseRecord>>.Ok(records);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "releases"), "*.json", SearchOption.AllDirectories))
        {
            var record = ReadRecord(file);
            if (!record.IsOk)
                return record.Problem;
            records.Add(record.Value);
        }
        return Result<List<ReleaseRecord>>.Ok([.. records.OrderBy(r => r.App, StringComparer.Ordinal).ThenBy(r => r.PublishedAt)]);
    }

    /// <summary>The receipt for a log entry against the log's current checkpoint.</summary>
    public Result<TlogProof> Receipt(long index)
    {
        var checkpoint = Log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var size = checkpoint.Value.Checkpoint.Size;
        var proof = new ProofBuilder(new TileNodeSource(Log.Storage, size)).Inclusion(index, size);
        return proof.IsOk ? Result<TlogProof>.Ok(new TlogProof(index, proof.Value, checkpoint.Value.Note.ToBytes())) : proof.Problem;
    }

    /// <summary>Reads a signed envelope back from the store: bounded by what a log entry can hold, checked as read.</summary>
    public async Task<Result<byte[]>> ReadEnvelopeAsync(string digest, CancellationToken cancellation = default)
    {
        var parsed = Sha256Digest.Parse(digest);
        return parsed.IsOk ? await Artifacts.ReadAllAsync(parsed.Value, EntryBundle.MaxEntrySize, cancellation) : parsed.Problem;
    }

    /// <summary>The release a record points at, read back from the store and opened (no signature check: that is <see cref="ReleaseVerifier"/>'s).</summary>
    public async Task<Result<OpenedRelease>> OpenReleaseAsync(ReleaseRecord record, CancellationToken cancellation = default)
    {
        var bytes = await ReadEnvelopeAsync(record.EnvelopeDigest, cancellation);
        return bytes.IsOk ? ReleaseStatement.Open(bytes.Value) : bytes.Problem;
    }

    /// <summary>The release of <paramref name="app"/> at <paramref name="version"/>, found and opened as above.</summary>
    public async Task<Result<OpenedRelease>> OpenReleaseAsync(string app, string version, CancellationToken cancellation = default)
    {
        var record = Find(app, version);
        return record.IsOk ? await OpenReleaseAsync(record.Value, cancellation) : record.Problem;
    }

    /// <summary>Stores every file of the draft by digest and returns the (unsigned) release statement naming them.</summary>
    public async Task<Result<InTotoStatement>> CreateStatementAsync(ReleaseDraft draft, CancellationToken cancellation = default)
    {
        if (!Names.IsValid(draft.App) || !Names.IsValid(draft.Version))
            return Result<InTotoStatement>.Fail(ErrorCodes.InputMalformed, $"'{draft.App}' '{draft.Version}': {Names.Rule}");
        var subjects = new List<Subject>();
        foreach (var file in draft.ArtifactFiles)
        {
            var digest = await PutFileAsync(file, cancellation);
            if (!digest.IsOk)
                return digest.Problem;
            subjects.Add(new Subject(Path.GetFileName(file), new Dictionary<string, string> { ["sha256"] = digest.Value.Hex }));
        }
        var images = await StoreImagesAsync(draft.Images, subjects, cancellation);
        if (!images.IsOk)
            return images.Problem;
        var cosignBundles = await ReleaseCosignBundles.StoreAsync(draft.CosignBundles, subjects, Artifacts, DateTimeOffset.UtcNow, cancellation);
        if (!cosignBundles.IsOk)
            return cosignBundles.Problem;
        var sbom = await StoreSbomAsync(draft.SbomFile, cancellation);
        if (!sbom.IsOk)
            return sbom.Problem;
        var provenance = await StoreProvenanceAsync(draft.Provenance, subjects, cancellation);
        if (!provenance.IsOk)
            return provenance.Problem;
        var migrations = new List<Migration>();
        if (draft.MigrationsDirectory is not null)
        {
            var read = MigrationDirectory.Read(draft.MigrationsDirectory);
            if (!read.IsOk)
                return read.Problem;
            foreach (var (migration, up, down) in read.Value)
            {
                // The statement names what was stored, even if a script changed since the directory was read.
                var upDigest = await PutFileAsync(up, cancellation);
                if (!upDigest.IsOk)
                    return upDigest.Problem;
                string? downDigest = null;
                if (down is not null)
                {
                    var stored = await PutFileAsync(down, cancellation);
                    if (!stored.IsOk)
                        return stored.Problem;
                    downDigest = stored.Value.ToString();
                }
                migrations.Add(migration with { UpDigest = upDigest.Value.ToString(), DownDigest = downDigest });
            }
        }
        string? rollbackScript = null;
        if (draft.RollbackScriptFile is not null)
        {
            var digest = await PutFileAsync(draft.RollbackScriptFile, cancellation);
            if (!digest.IsOk)
                return digest.Problem;
            rollbackScript = digest.Value.ToString();
        }
        var predicate = new ReleasePredicate(
            draft.App,
            draft.Version,
            $"pkg:generic/{draft.App}@{draft.Version}",
            draft.ConfigDigest,
            sbom.Value,
            provenance.Value.Facts,
            migrations,
            rollbackScript,
            draft.SecuritySurface ?? new SecuritySurface([], [], [], []),
            provenance.Value.Attestation,
            images.Value,
            cosignBundles.Value);
        return Result<InTotoStatement>.Ok(ReleaseStatement.Create(subjects, predicate));
    }

    private static Result<byte[]> CheckSize(byte[] envelope) =>
        envelope.Length <= EntryBundle.MaxEntrySize
            ? Result<byte[]>.Ok(envelope)
            : Result<byte[]>.Fail(ErrorCodes.EntryTooLarge, $"the signed release statement is {envelope.Length} bytes, more than a log entry holds ({EntryBundle.MaxEntrySize})");

    // Each image is a subject too (its manifest's digest), and its manifest is kept, so it verifies offline like a file.
    private async Task<Result<IReadOnlyList<ContainerImage>?>> StoreImagesAsync(IReadOnlyList<ResolvedImage>? resolved, List<Subject> subjects, CancellationToken cancellation)
    {
        if (resolved is not { Count: > 0 })
            return Result<IReadOnlyList<ContainerImage>?>.Ok(null);
        var images = new List<ContainerImage>();
        foreach (var image in resolved)
        {
            if (subjects.Any(s => s.Name == image.Name))
                return Result<IReadOnlyList<ContainerImage>?>.Fail(ErrorCodes.InputMalformed, $"image name '{image.Name}' is already the name of another file or image of the release");
            var stored = await Artifacts.PutAsync(new MemoryStream(image.Manifest.Bytes), cancellation);
            if (stored != image.Reference.Digest)
                return Result<IReadOnlyList<ContainerImage>?>.Fail(ErrorCodes.ImageMismatch, $"image {image.Name}: the manifest given hashes to {stored}, not {image.Reference.Digest}");
            subjects.Add(new Subject(image.Name, new Dictionary<string, string> { ["sha256"] = stored.Hex }));
            images.Add(new ContainerImage(image.Name, image.Reference.Repository, stored.ToString(), image.Manifest.MediaType));
        }
        return Result<IReadOnlyList<ContainerImage>?>.Ok(images);
    }

    private async Task<Result<ContentReference?>> StoreSbomAsync(string? file, CancellationToken cancellation)
    {
        if (file is null)
            return Result<ContentReference?>.Ok(null);
        var read = InputFile.Read(file, SbomValidator.MaxSize, "SBOM");
        if (!read.IsOk)
            return read.Problem;
        var bytes = read.Value;
        var valid = SbomValidator.Validate(bytes);
        if (!valid.IsOk)
            return valid.Problem with { Message = $"SBOM '{file}': {valid.Problem.Message}" };
        var digest = await Artifacts.PutAsync(new MemoryStream(bytes), cancellation);
        return Result<ContentReference?>.Ok(new ContentReference(digest.ToString(), valid.Value.MediaType));
    }

    /// <summary>
    /// The release's provenance: an SLSA attestation handed in is kept as given once its subjects are the release's
    /// artifacts; build facts handed in alone are written as an SLSA Provenance v1 statement over the artifacts.
    /// </summary>
    private async Task<Result<(BuildProvenance Facts, ContentReference? Attestation)>> StoreProvenanceAsync(ProvenanceSource? source, IReadOnlyList<Subject> artifacts, CancellationToken cancellation)
    {
        if (source is null)
            return Result<(BuildProvenance, ContentReference?)>.Ok((new BuildProvenance("unknown", "unknown", "unknown", [], null), null));
        var (bytes, mediaType, facts) = source.Statement is { } given
            ? (source.Bytes, source.MediaType!, SlsaProvenance.Facts(given))
            : (SlsaProvenance.Write(artifacts, source.Facts!).ToCanonicalJson(), ProvenanceSource.StatementMediaType, source.Facts!);
        if (source.Statement is not null && ProvenanceSubjects.Mismatch(artifacts, source.Statement, source.File) is { } mismatch)
            return mismatch;
        var digest = await Artifacts.PutAsync(new MemoryStream(bytes), cancellation);
        return Result<(BuildProvenance, ContentReference?)>.Ok((facts, new ContentReference(digest.ToString(), mediaType)));
    }

    private async Task<Result<Sha256Digest>> PutFileAsync(string file, CancellationToken cancellation)
    {
        var opened = InputFile.Open(file, "release file");
        if (!opened.IsOk)
            return opened.Problem;
        await using var stream = opened.Value;
        return Result<Sha256Digest>.Ok(await Artifacts.PutAsync(stream, cancellation));
    }

    private void WriteRecord(ReleaseRecord record)
    {
        var path = RecordPath(record.App, record.Version, ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        DurableFile.Replace(path, JsonSerializer.SerializeToUtf8Bytes(record, Json));
    }

    private string RecordPath(string app, string version, string extension) => Path.Combine(Root, "releases", app, version + extension);
}
