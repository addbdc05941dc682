using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.LogAppender;

public enum KillPoint
{
    /// <summary>The batch's timestamps are durable; its tiles are written, not yet synced; no checkpoint covers them.</summary>
    Sync,

    /// <summary>Everything of the batch is durable and recorded; the checkpoint is about to replace the last one.</summary>
    Checkpoint,
}

/// <summary>
/// The log directory's writer, opened as <see cref="LogDirectory.OpenWriter(string?, LogWriterOptions?, TimeProvider?)"/>
/// opens it, over tiles storage that kills the process (SIGKILL, nothing flushed or disposed) at a chosen point of a
/// chosen batch: a crash exactly there, for the crash tests.
/// </summary>
public static class SelfKillingWriter
{
    public static LockedLogWriter Open(LogDirectory log, KillPoint at, int batch)
    {
        var locked = log.Lock().Value;
        var writer = LogWriter.Open(new KillingStorage(log.Storage, at, batch), log.LoadSigner().Value, new SqliteDedupIndex(log.StateFile("dedup.db")),
            records: CheckpointRecordFile.For(log.Path, log.Verifier), timestamps: log.Timestamps).Value;
        return new LockedLogWriter(writer, locked);
    }

    private sealed class KillingStorage(ILogStorage inner, KillPoint at, int batch) : ILogStorage
    {
        private int _syncs;

        public byte[]? Read(string path) => inner.Read(path);

        public void Write(string path, ReadOnlySpan<byte> data) => inner.Write(path, data);

        public void Sync()
        {
            // One sync per batch with new entries, after its timestamps are kept.
            if (++_syncs == batch && at == KillPoint.Sync)
                Die();
            inner.Sync();
        }

        public void ReplaceCheckpoint(ReadOnlySpan<byte> signedCheckpoint)
        {
            if (_syncs == batch && at == KillPoint.Checkpoint)
                Die();
            inner.ReplaceCheckpoint(signedCheckpoint);
        }

        private static void Die() => System.Diagnostics.Process.GetCurrentProcess().Kill();
    }
}
