using System.Text.Json;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// What a log directory records about itself in <c>.rollproof/log.json</c>: never the private key, only where it is
/// (<see cref="KeyFile"/>: a key file's full path or a <c>pkcs11:</c> URI without a PIN, see <see cref="LogKeyReference"/>);
/// and when the log began, from which its key is valid in a Sigstore trusted root.
/// A replica of a served log (<see cref="Server"/> set) names no key file: the server alone holds the log's key.
/// </summary>
public sealed record LogConfig(string Origin, string VerifierKey, string KeyFile, DateTimeOffset? CreatedAt = null, string? Server = null)
{
    public bool IsReplica => Server is not null;
}

/// <summary>
/// A log in a local directory: the C2SP tiles layout at the top (servable as-is), and the writer's private state
/// (configuration, dedup index, lock, record of published checkpoints) under <c>.rollproof/</c>. A second record of
/// published checkpoints is kept in the writer's own state, outside the directory (<see cref="CheckpointRecordFile"/>).
/// </summary>
public sealed class LogDirectory
{
    private const string StateFolder = ".rollproof";
    private const string ConfigFile = "log.json";
    private const int MaxConfigSize = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private LogDirectory(string path, LogConfig config)
    {
        Path = path;
        Config = config;
        Storage = new FileSystemLogStorage(path);
        Timestamps = new EntryTimestampStore(path);
        Verifier = NoteKeys.ParseVerifierKey(config.VerifierKey).Value;
    }

    public string Path { get; }

    public LogConfig Config { get; }

    public FileSystemLogStorage Storage { get; }

    public INoteVerifier Verifier { get; }

    /// <summary>The signed entry timestamps of entries appended with one.</summary>
    public EntryTimestampStore Timestamps { get; }

    /// <summary>Creates a log signed by the key <paramref name="logKey"/> names (a KEYREF: key file or <c>pkcs11:</c> URI) and publishes its empty checkpoint.</summary>
    public static Result<LogDirectory> Init(string path, string origin, string logKey, TimeProvider? clock = null)
    {
        var key = LogKeyReference.Parse(logKey);
        return key.IsOk ? Init(path, origin, key.Value, clock) : key.Problem;
    }

    /// <summary>Creates a log signed by <paramref name="logKey"/>, which its configuration records (never a PIN), and publishes its empty checkpoint.</summary>
    public static Result<LogDirectory> Init(string path, string origin, LogKeyReference logKey, TimeProvider? clock = null)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!NoteKeyId.IsValidName(origin))
            return Result<LogDirectory>.Fail(ErrorCodes.CheckpointMalformed, $"origin '{origin}' must be non-empty and contain no spaces or '+' (e.g. example.com/log)");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            return Result<LogDirectory>.Fail(ErrorCodes.LogAlreadyInitialised, $"'{path}' is not empty: a log is created in a new or empty directory");
        if (logKey.CheckStorable("--log-key") is { } storable)
            return storable;
        var signer = logKey.Open(origin);
        if (!signer.IsOk)
            return signer.Problem;
        if (signer.Value.Name != origin)
            return Result<LogDirectory>.Fail(ErrorCodes.InputMalformed, $"the key in '{logKey}' is named '{signer.Value.Name}', but the origin is '{origin}': a log signs with a key named after its origin");
        var config = new LogConfig(origin, signer.Value.VerifierKey, logKey.Text, (clock ?? TimeProvider.System).GetUtcNow());
        var key = NoteKeys.ParseVerifierKey(config.VerifierKey).Value;
        var published = CheckpointRecordFile.OfWriter(key).Read();
        if (!published.IsOk)
            return published.Problem;
        if (published.Value.Latest is { Size: > 0 } latest)
            return Result<LogDirectory>.Fail(ErrorCodes.LogRewound, $"this writer already published {origin} under this key at {RecordedCheckpoints.Describe(latest)} ({published.Value.Source}): a new log under the same key would fork it; create it with a new key");
        Directory.CreateDirectory(System.IO.Path.Combine(path, StateFolder));
        File.WriteAllBytes(ConfigPath(path), JsonSerializer.SerializeToUtf8Bytes(config, Json));
        var log = new LogDirectory(path, config);
        var created = LogWriter.Create(log.Storage, signer.Value, CheckpointRecordFile.For(path, log.Verifier));
        return created.IsOk ? Result<LogDirectory>.Ok(log) : created.Problem;
    }

    public static Result<LogDirectory> Open(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        var configPath = ConfigPath(path);
        if (!File.Exists(configPath))
            return Result<LogDirectory>.Fail(ErrorCodes.LogNotInitialised, $"'{path}' is not a Rollproof log (no {StateFolder}/{ConfigFile}); create one with 'rollproof log init'");
        var bytes = InputFile.Read(configPath, MaxConfigSize, "log configuration");
        if (!bytes.IsOk)
            return bytes.Problem;
        try
        {
            var config = JsonSerializer.Deserialize<LogConfig>(bytes.Value, Json);
            if (config is null || string.IsNullOrEmpty(config.Origin) || !NoteKeys.ParseVerifierKey(config.VerifierKey ?? "").IsOk || (string.IsNullOrEmpty(config.KeyFile) && !config.IsReplica))
                return Result<LogDirectory>.Fail(ErrorCodes.LogNotInitialised, $"{configPath} is incomplete: it needs origin, verifierKey and keyFile");
            return Result<LogDirectory>.Ok(new LogDirectory(path, config));
        }
        catch (JsonException e)
        {
            return Result<LogDirectory>.Fail(ErrorCodes.LogNotInitialised, $"{configPath} is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The current checkpoint, verified with the log's own key, and not older than its writer's records.</summary>
    public Result<VerifiedCheckpoint> ReadCheckpoint() => ReadCheckpoint(Verifier);

    /// <summary>The current checkpoint, verified with <paramref name="logKey"/> and checked against its writer's records.</summary>
    public Result<VerifiedCheckpoint> ReadCheckpoint(INoteVerifier logKey) =>
        Config.IsReplica ? Checkpoint.Open(Storage.Read(TilePath.Checkpoint) ?? [], logKey) : ReadCheckpoint(Storage, logKey);

    /// <summary>
    /// The checkpoint of a tiles directory, verified with <paramref name="logKey"/>; refused when it is older than a
    /// record of the checkpoints its writer published (<see cref="RecordedCheckpoints.Check"/>): the log was rewound.
    /// </summary>
    public static Result<VerifiedCheckpoint> ReadCheckpoint(FileSystemLogStorage storage, INoteVerifier logKey)
    {
        // The records first: a writer publishing meanwhile can only leave the checkpoint newer than they say.
        var recorded = CheckpointRecordFile.For(storage.Root, logKey).Select(r => r.Read()).ToList();
        var stored = storage.Read(TilePath.Checkpoint);
        if (stored is null)
            return Result<VerifiedCheckpoint>.Fail(ErrorCodes.LogNotInitialised, $"'{storage.Root}' has no checkpoint");
        var opened = Checkpoint.Open(stored, logKey);
        if (!opened.IsOk)
            return opened;
        // Both records usually name the same published tree: the tiles are checked against it once.
        var checkedTrees = new List<Checkpoint>();
        foreach (var record in recorded)
        {
            if (record.IsOk && record.Value.Latest is { } latest && checkedTrees.Any(tree => RecordedCheckpoints.SameTree(tree, latest)))
                continue;
            var problem = record.IsOk ? record.Value.Check(opened.Value.Checkpoint, storage, $"'{storage.Root}'") : record.Problem;
            if (problem is not null)
                return problem;
            if (record.Value.Latest is { } checkedTree)
                checkedTrees.Add(checkedTree);
        }
        return opened;
    }

    /// <summary>Takes the directory's writer lock, held until the stream is disposed; refused while another holds it.</summary>
    public Result<FileStream> Lock()
    {
        try
        {
            return Result<FileStream>.Ok(new FileStream(System.IO.Path.Combine(Path, StateFolder, "writer.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            return Result<FileStream>.Fail(ErrorCodes.LogLocked, $"another process is appending to '{Path}'");
        }
    }

    /// <summary>
    /// The log's signer from <paramref name="logKey"/> (a KEYREF: key file or <c>pkcs11:</c> URI; default: the one
    /// recorded at init), which must hold this log's key.
    /// </summary>
    public Result<INoteSigner> LoadSigner(string? logKey = null)
    {
        var key = KeyReference(logKey);
        return key.IsOk ? LoadSigner(key.Value) : key.Problem;
    }

    /// <summary>The log's signer from <paramref name="logKey"/>, which must hold this log's key: its verifier key is the one recorded at init.</summary>
    public Result<INoteSigner> LoadSigner(LogKeyReference logKey)
    {
        var signer = logKey.Open(Config.Origin);
        if (!signer.IsOk || signer.Value.VerifierKey == Config.VerifierKey)
            return signer;
        return Result<INoteSigner>.Fail(ErrorCodes.SignerKeyMalformed, $"the key '{logKey}' is not this log's key ({Config.VerifierKey})");
    }

    private LogWriter? _held;

    /// <summary>
    /// Where appends go when this process holds no writer of its own: a replica of a served log submits each entry to
    /// its server (<see cref="IEntryAppender"/>), which alone holds the log's key.
    /// </summary>
    public IEntryAppender? Appender { get; internal set; }

    /// <summary>
    /// Opens the single writer of this log and keeps it for every later append through this object, until the
    /// returned writer is disposed: a server, the log's only writer for as long as it runs, holds it. Library code that
    /// opens a writer per append then shares this one (its clock and options are the holder's).
    /// </summary>
    public Result<LockedLogWriter> HoldWriter(string? keyFile = null, LogWriterOptions? options = null, TimeProvider? clock = null)
    {
        if (_held is not null)
            return Result<LockedLogWriter>.Fail(ErrorCodes.LogLocked, $"this process already holds the writer of '{Path}'");
        var opened = OpenWriter(keyFile, options, clock);
        if (!opened.IsOk)
            return opened;
        _held = opened.Value.Writer;
        return Result<LockedLogWriter>.Ok(new LockedLogWriter(opened.Value, () => _held = null));
    }

    /// <summary>
    /// Opens the single writer of this log, signing with <paramref name="logKey"/> (a KEYREF: a key file or a
    /// <c>pkcs11:</c> URI; default: the one recorded at init); a second writer, in this or another process, is refused
    /// while it is open.
    /// </summary>
    public Result<LockedLogWriter> OpenWriter(string? logKey = null, LogWriterOptions? options = null, TimeProvider? clock = null) =>
        OpenWriter(() => LoadSigner(logKey), options, clock);

    /// <summary>
    /// Opens the single writer of this log, signing with <paramref name="logKey"/> (a key file or a key in a PKCS#11
    /// token), which must be this log's key; a second writer, in this or another process, is refused while it is open.
    /// </summary>
    public Result<LockedLogWriter> OpenWriter(LogKeyReference logKey, LogWriterOptions? options = null, TimeProvider? clock = null) =>
        OpenWriter(() => LoadSigner(logKey), options, clock);

    private Result<LockedLogWriter> OpenWriter(Func<Result<INoteSigner>> signer, LogWriterOptions? options, TimeProvider? clock)
    {
        if (_held is { } held)
            return Result<LockedLogWriter>.Ok(LockedLogWriter.Borrowed(held));
        if (Config.IsReplica)
            return Result<LockedLogWriter>.Fail(ErrorCodes.OperationUnsupported, $"'{Path}' is a replica of the log served at {Config.Server}: only its server writes it");
        var locked = Lock();
        return locked.IsOk ? OpenWriter(locked.Value, signer(), options, clock) : locked.Problem;
    }

    /// <summary>Opens the writer under the lock <paramref name="lockFile"/> taken with <see cref="Lock"/>, which it owns from then on, failure or not.</summary>
    public Result<LockedLogWriter> OpenWriter(FileStream lockFile, string? logKey = null, LogWriterOptions? options = null, TimeProvider? clock = null) =>
        OpenWriter(lockFile, LoadSigner(logKey), options, clock);

    private Result<LockedLogWriter> OpenWriter(FileStream lockFile, Result<INoteSigner> signer, LogWriterOptions? options, TimeProvider? clock)
    {
        SqliteDedupIndex? dedup = null;
        var handedOver = false;
        try
        {
            if (!signer.IsOk)
                return signer.Problem;
            dedup = new SqliteDedupIndex(System.IO.Path.Combine(Path, StateFolder, "dedup.db"));
            var writer = LogWriter.Open(Storage, signer.Value, dedup, options, clock, CheckpointRecordFile.For(Path, Verifier), Timestamps);
            if (!writer.IsOk)
                return writer.Problem;
            handedOver = true;
            return Result<LockedLogWriter>.Ok(new LockedLogWriter(writer.Value, lockFile));
        }
        finally
        {
            // On every failure path, including exceptions, release what the writer did not take over.
            if (!handedOver)
            {
                dedup?.Dispose();
                lockFile.Dispose();
            }
        }
    }

    /// <summary>
    /// Appends one entry with its signed entry timestamp, which the writer keeps beside the tiles before the checkpoint
    /// covering the entry is published; returns its index and the timestamp kept (the first one, when the entry was
    /// logged before). A server holding the writer answers every submission through here.
    /// </summary>
    public async Task<Result<(long Index, SignedEntryTimestamp Timestamp)>> AppendAsync(byte[] entry, TimeProvider clock)
    {
        if (Appender is { } remote && _held is null)
            return await remote.AppendAsync(entry);
        var opened = OpenWriter(clock: clock);
        if (!opened.IsOk)
            return opened.Problem;
        await using var writer = opened.Value;
        return Result<(long, SignedEntryTimestamp)>.Ok(await writer.Writer.AppendWithTimestampAsync(entry));
    }

    /// <summary>A file of the log's private state under <c>.rollproof/</c> (an index the log can rebuild, say).</summary>
    public string StateFile(string name) => System.IO.Path.Combine(Path, StateFolder, name);

    private static string ConfigPath(string path) => System.IO.Path.Combine(path, StateFolder, ConfigFile);

    // A key given for this run, or the one the configuration records, which must not hold a PIN.
    private Result<LogKeyReference> KeyReference(string? given)
    {
        var key = LogKeyReference.Parse(given ?? Config.KeyFile);
        if (!key.IsOk || given is not null)
            return key;
        return key.Value.CheckStorable(ConfigPath(Path)) is { } stored ? stored : key;
    }
}

/// <summary>A log writer holding the directory's writer lock until disposed; or one borrowed from its holder, which disposing leaves open.</summary>
public sealed class LockedLogWriter : IAsyncDisposable
{
    private readonly Func<ValueTask> _release;

    public LockedLogWriter(LogWriter writer, FileStream lockFile)
    {
        Writer = writer;
        _release = async () =>
        {
            await writer.DisposeAsync();
            await lockFile.DisposeAsync();
        };
    }

    internal LockedLogWriter(LockedLogWriter held, Action released)
    {
        Writer = held.Writer;
        _release = async () =>
        {
            released();
            await held.DisposeAsync();
        };
    }

    private LockedLogWriter(LogWriter writer)
    {
        Writer = writer;
        _release = () => ValueTask.CompletedTask;
    }

    public LogWriter Writer { get; }

    internal static LockedLogWriter Borrowed(LogWriter held) => new(held);

    public ValueTask DisposeAsync() => _release();
}
