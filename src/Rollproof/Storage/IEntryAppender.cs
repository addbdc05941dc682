using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// Appends an entry to a log that this process does not write itself (a served log): completes once a checkpoint
/// covers the entry, with its index and the log's signed entry timestamp, both checked against the log's key.
/// </summary>
public interface IEntryAppender
{
    Task<Result<(long Index, SignedEntryTimestamp Timestamp)>> AppendAsync(byte[] entry, CancellationToken cancellation = default);
}
