using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Queries;

/// <summary>
/// Keeps an index in step with the log: reads the entries it has not taken in, in log order, under the current
/// checkpoint, and applies them in batches. Updating after each append and rebuilding from an empty index run the
/// same code over the same entries, which is why the two agree. The entries' signed times must not go backwards among
/// those a pass reads (a rebuild reads them all).
/// </summary>
public static class LedgerIndexer
{
    private const int BatchSize = 1000;

    /// <summary>Brings the index up to the log's current checkpoint; returns the size indexed.</summary>
    public static Result<long> CatchUp(LogDirectory log, TrustFile trust, ILedgerIndex index)
    {
        var checkpoint = log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var size = checkpoint.Value.Checkpoint.Size;
        if (index.IndexedSize > size)
            return Result<long>.Fail(ErrorCodes.CheckpointInconsistent, $"the index has taken in {index.IndexedSize} entries but the log holds {size}: the log was replaced; rebuild the index");
        var order = new EntryTimeOrder();
        while (index.IndexedSize < size)
        {
            var end = Math.Min(size, index.IndexedSize + BatchSize);
            var batch = new List<LedgerEntry>();
            for (var i = index.IndexedSize; i < end; i++)
            {
                var entry = LedgerEntries.Read(log, trust, i, size);
                if (!entry.IsOk)
                    return entry.Problem with { Message = $"log entry {i}: {entry.Problem.Message}" };
                if (order.Next(i, entry.Value.LoggedAt) is { } backwards)
                    return backwards;
                batch.Add(entry.Value);
            }
            index.Apply(batch, end);
        }
        return Result<long>.Ok(size);
    }
}
