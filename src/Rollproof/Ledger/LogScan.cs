using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>
/// Finds statements by reading the log itself, so that what decides (a policy, an approval, a rejection, a
/// deployment) is what the log holds: a deleted, stale or edited index row changes nothing. The entries a
/// <see cref="KindMap"/> points at are read and judged by the one trust path.
/// </summary>
public static class LogScan
{
    /// <summary>The statements of <paramref name="kind"/> logged at indexes from <paramref name="from"/> up to (not including) <paramref name="before"/>, judged, in log order.</summary>
    public static Result<IReadOnlyList<LedgerEntry>> Kind(LogDirectory log, TrustFile trust, KindMap map, string kind, long from, long before)
    {
        var found = new List<LedgerEntry>();
        foreach (var index in map.Of(kind, from, before))
        {
            var judged = LedgerEntries.Read(log, trust, index, map.Size);
            if (!judged.IsOk)
                return judged.Problem with { Message = $"log entry {index}: {judged.Problem.Message}" };
            if (judged.Value.Kind == kind)
                found.Add(judged.Value);
        }
        return Result<IReadOnlyList<LedgerEntry>>.Ok(found);
    }

    /// <summary>The statements of <paramref name="kind"/> logged after <paramref name="target"/> whose subject names it (index and digest).</summary>
    public static Result<IReadOnlyList<LedgerEntry>> Referring(LogDirectory log, TrustFile trust, KindMap map, StatementRef target, string kind, long before)
    {
        var all = Kind(log, trust, map, kind, target.LogIndex + 1, before);
        return all.IsOk ? Result<IReadOnlyList<LedgerEntry>>.Ok([.. all.Value.Where(e => StatementSubjects.RefersTo(e.Statement!) == target)]) : all.Problem;
    }
}
