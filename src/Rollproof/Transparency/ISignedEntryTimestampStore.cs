using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// Where a <see cref="LogWriter"/> keeps the signed entry timestamps it makes: written a batch at a time under the
/// writer's group commit, durable before the checkpoint that covers their entries is published.
/// </summary>
public interface ISignedEntryTimestampStore
{
    /// <summary>The entry's kept timestamp, null if it has none, a problem if what is kept is damaged.</summary>
    Result<SignedEntryTimestamp?> Read(long index);

    /// <summary>Keeps a batch of timestamps of entries not yet covered by a checkpoint; durable when it returns.</summary>
    void AppendBatch(IReadOnlyList<(long Index, SignedEntryTimestamp Timestamp)> batch);

    /// <summary>
    /// Forgets the timestamps of entries at or beyond <paramref name="size"/>, the size of the published checkpoint a
    /// writer opens at: they were written for a batch a crash kept from being published, and the next batch reuses
    /// those indexes for other entries.
    /// </summary>
    void DiscardFrom(long size);
}
