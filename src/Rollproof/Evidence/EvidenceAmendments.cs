using System.Text;
using Rollproof.Ledger;
using Rollproof.Runbooks;
using Rollproof.Storage;

namespace Rollproof.Evidence;

/// <summary>
/// A package's runbook amendments hold as a resume required (<see cref="RunbookAmendments"/>): each names an execution
/// of the chain and the runbook that execution ran, and carries the corrected runbook its digest names.
/// </summary>
public static class EvidenceAmendments
{
    /// <summary>The path and reason of the first amendment that does not hold, or null.</summary>
    public static (string Path, string Why)? FirstBroken(CheckedChain chain)
    {
        var executions = chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Execution)
            .ToDictionary(e => e.Entry.Index, e => LoggedPredicate.Of<ExecutionPredicate>(e.Statement, StatementKinds.Execution));
        foreach (var entry in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.RollbackAmendment))
        {
            var path = EvidenceLayout.EntryPath(entry.Entry.Index, StatementKinds.RollbackAmendment, ".dsse.json");
            var amended = LoggedPredicate.Of<AmendmentPredicate>(entry.Statement, StatementKinds.RollbackAmendment)!;
            if (Sha256Digest.Of(Encoding.UTF8.GetBytes(amended.Runbook)).ToString() != amended.NewRunbookDigest)
                return (path, $"carries a runbook whose digest is not the {amended.NewRunbookDigest} it names");
            if (!executions.TryGetValue(amended.Execution.LogIndex, out var ran) || amended.Execution.LogIndex > entry.Entry.Index || ran?.RunbookDigest != amended.OldRunbookDigest)
                return (path, $"names execution {amended.Execution.LogIndex} and runbook {amended.OldRunbookDigest}, which is no earlier execution of the package's chain that ran that runbook");
        }
        return null;
    }
}
