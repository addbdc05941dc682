using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// Re-verifies every signed entry timestamp a log directory keeps, in one pass in index order: each must be signed by
/// the log's key for its entry at its index, and none may be earlier than the one before it (<see cref="EntryTimeOrder"/>).
/// </summary>
public static class EntryTimestampAudit
{
    public static Problem? Verify(ILogStorage storage, EntryTimestampStore timestamps, INoteVerifier logKey, long treeSize)
    {
        var order = new EntryTimeOrder();
        foreach (var read in LogEntries.Range(storage, 0, treeSize, treeSize))
        {
            if (!read.IsOk)
                return read.Problem;
            var (index, entry) = read.Value;
            var timestamp = timestamps.Read(index);
            if (!timestamp.IsOk)
                return timestamp.Problem;
            if (timestamp.Value is not { } stamp)
                continue;
            if ((stamp.Verify(logKey, entry.Span, index) ?? order.Next(index, stamp.Time)) is { } problem)
                return problem;
        }
        return null;
    }
}
