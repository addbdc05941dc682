using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>
/// Finds statements by reading the log itself, so that what decides (a policy, an approval, a rejection, a
/// deployment) is what the log holds: a deleted, stale or edited index row changes nothing. The entries a
/// <see cref="KindMap"/> points at are read, proven to be the ones the checkpoint commits to, and judged by the one
/// trust path.
/// </summary>
public static class LogScan
{
    /// <summary>
    /// The statements of <paramref name="kind"/> logged at indexes from <paramref name="from"/> up to (not including)
    /// <paramref name="before"/>, judged, in log order. <paramref name="environment"/> and <paramref name="about"/>, if
    /// given, pass over statements that do not say they are about what is asked (another environment, another
    /// request) before their signature is checked: what such a statement says concerns nothing asked here, whoever
    /// signed it.
    /// </summary>
    public static Result<IReadOnlyList<LedgerEntry>> Kind(LogDirectory log, TrustFile trust, KindMap map, string kind, long from, long before, string? environment = null, Func<InTotoStatement, bool>? about = null)
    {
        var found = new List<LedgerEntry>();
        var entries = new ProvenEntries(log, map);
        foreach (var index in map.Of(kind, from, before, environment))
        {
            var bytes = entries.Read(index);
            if (!bytes.IsOk)
                return bytes.Problem;
            if (about is not null && !Claims(bytes.Value.Span, about))
                continue;
            var judged = LedgerEntries.Judge(log, trust, index, bytes.Value.Span);
            if (!judged.IsOk)
                return judged.Problem with { Message = $"log entry {index}: {judged.Problem.Message}" };
            if (judged.Value.Kind != kind)
                return Result<IReadOnlyList<LedgerEntry>>.Fail(ErrorCodes.EntryHashMismatch, $"log entry {index} looked like {Article.For(kind)} statement when the log was mapped, and reads as {judged.Value.Kind} now");
            found.Add(judged.Value);
        }
        return Result<IReadOnlyList<LedgerEntry>>.Ok(found);
    }

    /// <summary>The statements of <paramref name="kind"/> logged after <paramref name="target"/> whose subject names it (index and digest).</summary>
    public static Result<IReadOnlyList<LedgerEntry>> Referring(LogDirectory log, TrustFile trust, KindMap map, StatementRef target, string kind, long before) =>
        Kind(log, trust, map, kind, target.LogIndex + 1, before, about: statement => StatementSubjects.RefersTo(statement) == target);

    // An entry that does not read as a statement is judged all the same: the judge says what it is.
    private static bool Claims(ReadOnlySpan<byte> entry, Func<InTotoStatement, bool> about)
    {
        var envelope = DsseEnvelope.Parse(entry);
        var statement = envelope.IsOk ? InTotoStatement.FromEnvelope(envelope.Value) : envelope.Problem;
        return !statement.IsOk || about(statement.Value);
    }
}
