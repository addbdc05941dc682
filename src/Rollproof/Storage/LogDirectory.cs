using System.Text.Json;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// What a log directory records about itself in <c>.rollproof/log.json</c>: never the private key, only where it is;
/// and when the log began, from which its key is valid in a Sigstore trusted root.
/// </summary>
public sealed record LogConfig(string Origin, string VerifierKey, string KeyFile, DateTimeOffset? CreatedAt = null);

/// <summary>
/// A log in a local directory: the C2SP tiles layout at the top (servable as-is), and the writer's private state
/// (configuration, dedup index, lock) under <c>.rollproof/</c>.
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

    /// <summary>Creates a log signed by the key in <paramref name="keyFile"/> and publishes its empty checkpoint.</summary>
    public static Result<LogDirectory> Init(string path, string origin, string keyFile, TimeProvider? clock = null)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!NoteKeyId.IsValidName(origin))
            return Result<LogDirectory>.Fail(ErrorCodes.CheckpointMalformed, $"origin '{origin}' must be non-empty and contain no spaces or '+' (e.g. example.com/log)");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            return Result<LogDirectory>.Fail(ErrorCodes.LogAlreadyInitialised, $"'{path}' is not empty: a log is created in a new or empty directory");
        var signer = NoteSignerFile.Load(keyFile, origin);
        if (!signer.IsOk)
            return signer.Problem;
        if (signer.Value.Name != origin)
            return Result<LogDirectory>.Fail(ErrorCodes.InputMalformed, $"the key in '{keyFile}' is named '{signer.Value.Name}', but the origin is '{origin}': a log signs with a key named after its origin");
        var config = new LogConfig(origin, signer.Value.VerifierKey, System.IO.Path.GetFullPath(keyFile), (clock ?? TimeProvider.System).GetUtcNow());
        Directory.CreateDirectory(System.IO.Path.Combine(path, StateFolder));
        File.WriteAllBytes(ConfigPath(path), JsonSerializer.SerializeToUtf8Bytes(config, Json));
        var log = new LogDirectory(path, config);
        var created = LogWriter.Create(log.Storage, signer.Value);
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
            if (config is null || string.IsNullOrEmpty(config.Origin) || !NoteKeys.ParseVerifierKey(config.VerifierKey ?? "").IsOk || string.IsNullOrEmpty(config.KeyFile))
                return Result<LogDirectory>.Fail(ErrorCodes.LogNotInitialised, $"{configPath} is incomplete: it needs origin, verifierKey and keyFile");
            return Result<LogDirectory>.Ok(new LogDirectory(path, config));
        }
        catch (JsonException e)
        {
            return Result<LogDirectory>.Fail(ErrorCodes.LogNotInitialised, $"{configPath} is not valid JSON: {e.Message}");
        }
    }

    /// <summary>The current checkpoint, verified with the log's own key.</summary>
    public Result<VerifiedCheckpoint> ReadCheckpoint()
    {
        var stored = Storage.Read(TilePath.Checkpoint);
        return stored is null
            ? Result<VerifiedCheckpoint>.Fail(ErrorCodes.LogNotInitialised, $"'{Path}' has no checkpoint")
            : Checkpoint.Open(stored, Verifier);
    }

    /// <summary>Opens the single writer of this log; a second writer, in this or another process, is refused while it is open.</summary>
    public Result<LockedLogWriter> OpenWriter(string? keyFile = null, LogWriterOptions? options = null, TimeProvider? clock = null)
    {
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(System.IO.Path.Combine(Path, StateFolder, "writer.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return Result<LockedLogWriter>.Fail(ErrorCodes.LogLocked, $"another process is appending to '{Path}'");
        }
        SqliteDedupIndex? dedup = null;
        var handedOver = false;
        try
        {
            var signer = NoteSignerFile.Load(keyFile ?? Config.KeyFile, Config.Origin);
            if (!signer.IsOk)
                return signer.Problem;
            if (signer.Value.VerifierKey != Config.VerifierKey)
                return Result<LockedLogWriter>.Fail(ErrorCodes.SignerKeyMalformed, $"the key in '{keyFile ?? Config.KeyFile}' is not this log's key ({Config.VerifierKey})");
            dedup = new SqliteDedupIndex(System.IO.Path.Combine(Path, StateFolder, "dedup.db"));
            var writer = LogWriter.Open(Storage, signer.Value, dedup, options, clock);
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
    /// Appends one entry and keeps its signed entry timestamp beside the tiles; returns its index and the timestamp
    /// kept (the first one, when the entry was logged before).
    /// </summary>
    public async Task<Result<(long Index, SignedEntryTimestamp Timestamp)>> AppendAsync(byte[] entry, TimeProvider clock)
    {
        var opened = OpenWriter(clock: clock);
        if (!opened.IsOk)
            return opened.Problem;
        await using var writer = opened.Value;
        var (index, timestamp) = await writer.Writer.AppendWithTimestampAsync(entry);
        return Result<(long, SignedEntryTimestamp)>.Ok((index, Timestamps.Keep(index, timestamp)));
    }

    private static string ConfigPath(string path) => System.IO.Path.Combine(path, StateFolder, ConfigFile);
}

/// <summary>A log writer holding the directory's writer lock until disposed.</summary>
public sealed class LockedLogWriter(LogWriter writer, FileStream lockFile) : IAsyncDisposable
{
    public LogWriter Writer { get; } = writer;

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        await lockFile.DisposeAsync();
    }
}
