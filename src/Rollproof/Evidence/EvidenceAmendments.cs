using System.Text;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Trust;

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

    /// <summary>
    /// Each amendment judged by the policy as a resume judged it: signed by an operator, and where the policy sends
    /// amendments for approval (<see cref="PolicyEvaluator.EvaluateAmendment"/>), approved by enough of its approvers
    /// when every later execution (which ran the amended runbook) was logged, or when the start of its run was, if later
    /// than the amendment (<see cref="EvidencePolicy.StartsContinued"/>), with the approvals logged before it. The
    /// decisions as of the package's last entry, for the summary; an execution the amendment's approvals did not allow
    /// fails the package.
    /// </summary>
    public static Result<IReadOnlyDictionary<long, PolicyDecision>> Judge(CheckedChain chain, TrustFile trust)
    {
        var policy = EvidencePolicy.PolicyOf(chain);
        if (!policy.IsOk)
            return policy.Problem;
        var approvals = EvidencePolicy.ApprovalsOf(chain, trust);
        var last = chain.Entries.Max(e => e.LoggedAt);
        var starts = EvidencePolicy.StartsContinued(chain, trust);
        var decisions = new Dictionary<long, PolicyDecision>();
        foreach (var entry in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.RollbackAmendment))
        {
            var path = EvidenceLayout.EntryPath(entry.Entry.Index, StatementKinds.RollbackAmendment, ".dsse.json");
            if (!policy.Value.Holds(entry.Signer, RollbackRole.Operator))
                return EvidenceChecker.Fail(path, $"is signed by {entry.Signer}, not an operator in {policy.Value.Environment}");
            var reference = new StatementRef(entry.Entry.Index, entry.Digest);
            PolicyDecision At(DateTimeOffset time, long before) =>
                PolicyEvaluator.EvaluateAmendment(policy.Value, reference, entry.Signer, [.. approvals.Where(a => a.BoundTo == reference && a.LogIndex < before)], time);
            if (!policy.Value.Amendments.OperatorAlone)
                foreach (var execution in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Execution && e.Entry.Index > entry.Entry.Index))
                    if (At(execution.LoggedAt, execution.Entry.Index) is { Status: not DecisionStatus.Approved } unapproved
                        && !(starts.TryGetValue(execution.Entry.Index, out var start) && start.Entry.Index > entry.Entry.Index && At(start.LoggedAt, start.Entry.Index).Status == DecisionStatus.Approved))
                        return EvidenceChecker.Fail(EvidenceLayout.EntryPath(execution.Entry.Index, StatementKinds.Execution, ".dsse.json"),
                            $"ran the runbook as amended at log index {entry.Entry.Index}, which the policy (log index {chain.Predicate.Policy.LogIndex}) had not approved at its logged time {execution.LoggedAt:O}: {string.Join("; ", unapproved.Unmet.Select(u => $"{u.Rule}: {u.Detail}"))}");
            decisions[entry.Entry.Index] = At(last, long.MaxValue);
        }
        return Result<IReadOnlyDictionary<long, PolicyDecision>>.Ok(decisions);
    }
}
