using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Server;

/// <summary>
/// The server's store and the one writer of its log, held from start to shutdown: the store's writer lock keeps every
/// other writer (a CLI on the same machine included) out, and every append in this process goes through it
/// (<see cref="LogDirectory.AppendAsync"/> of <see cref="ReleaseStore.Log"/>, which keeps each entry's timestamp).
/// </summary>
public sealed class LogService : IAsyncDisposable
{
    private readonly LockedLogWriter _writer;

    private LogService(ReleaseStore store, LockedLogWriter writer, Witnessing.LogWitnesses? witnesses)
    {
        Store = store;
        _writer = writer;
        Witnesses = witnesses;
    }

    public ReleaseStore Store { get; }

    /// <summary>The witnesses that cosign each checkpoint before it is published (<c>serve --witnesses</c>), if any.</summary>
    public Witnessing.LogWitnesses? Witnesses { get; }

    public LogWriter Writer => _writer.Writer;

    public static Result<LogService> Open(ServerOptions options, TimeProvider clock)
    {
        var store = ReleaseStore.Open(options.StoreDirectory);
        if (!store.IsOk)
            return store.Problem;
        var witnesses = Witnessing.LogWitnesses.For(options, clock);
        var writing = new LogWriterOptions { MaxBatchAge = options.CheckpointInterval, Cosign = witnesses?.Hook(store.Value.Log), CosignRetry = options.WitnessRetry };
        var writer = store.Value.Log.HoldWriter(options.LogKey, writing, clock);
        return writer.IsOk ? Result<LogService>.Ok(new LogService(store.Value, writer.Value, witnesses)) : writer.Problem;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
