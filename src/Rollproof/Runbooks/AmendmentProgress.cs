using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;

namespace Rollproof.Runbooks;

/// <summary>
/// What a failed execution waits for once an operator amended its runbook: the last amendment logged after the
/// execution, and, where the policy sends amendments for approval, how many of the approvals it needs it has now
/// (<see cref="RunbookAmendments.Approvals"/>). A line for <c>rollback status</c> and <c>rollback list</c>.
/// </summary>
public static class AmendmentProgress
{
    /// <summary>The note for a request whose last execution (log index <paramref name="failed"/>) failed, or null when no amendment followed it.</summary>
    public static string? Note(LedgerView view, LoggedPredicate<RollbackRequestPredicate> request, long failed, DateTimeOffset now)
    {
        var amendments = view.Referring<AmendmentPredicate>(request.Ref, StatementKinds.RollbackAmendment);
        if (!amendments.IsOk || amendments.Value.Counted.LastOrDefault(a => a.Entry.Index > failed) is not { } amendment)
            return null;
        var at = $"amendment at log index {amendment.Entry.Index}";
        var policy = RollbackExecutor.PolicyOf(view.Store, request.Predicate);
        if (!policy.IsOk)
            return $"{at}: {policy.Problem.Message}";
        if (policy.Value.Amendments.OperatorAlone)
            return $"{at}: a resume runs the corrected runbook";
        var decision = RunbookAmendments.Approvals(view, policy.Value, amendment, now);
        if (!decision.IsOk)
            return $"{at}: {decision.Problem.Message}";
        var (counted, required) = (decision.Value.CountedApprovers.Count, decision.Value.RequiredApprovals);
        return decision.Value.Status switch
        {
            DecisionStatus.Approved => $"{at} approved ({counted} of {required}): a resume runs the corrected runbook",
            DecisionStatus.Rejected => $"{at} rejected: {string.Join("; ", decision.Value.Unmet.Select(r => r.Detail))}",
            _ => $"{at} pending approval ({counted} of {required})",
        };
    }
}
