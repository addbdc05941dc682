using Rollproof.Ledger;
using Rollproof.Rollbacks.Policy;

namespace Rollproof.Runbooks;

/// <summary>
/// The start of a run: an execution statement with outcome <c>started</c> and no step, signed by the operator and
/// logged before the run's first step, while the run may go on (approved then, by an operator of the request's
/// policy). The execution that operator logs when the run ends is admitted on its start even if the approval has
/// lapsed since: a rollback can run for hours, and the run it ends is the one approved. The next execution of the
/// request closes the start, so a new run (a resume after a failure, another operator's) needs approval again. A start
/// admits only its own run: an end of the runbook it names with its drill flag (<see cref="Continues"/>), and nothing
/// once a rejection of the request was logged after it (<see cref="RejectedAfter"/>).
/// </summary>
public static class RunStart
{
    public const string Outcome = "started";

    public static bool Is(ExecutionPredicate execution) => execution.Outcome == Outcome;

    /// <summary>
    /// The start an execution by <paramref name="runner"/> continues: the last of <paramref name="earlier"/> (the
    /// request's executions logged before it, in log order), if that is a start signed by the same person; else null.
    /// </summary>
    public static T? OpenBy<T>(IEnumerable<T> earlier, Func<T, ExecutionPredicate?> predicate, Func<T, string?> signer, string? runner) where T : class =>
        earlier.LastOrDefault() is { } last && predicate(last) is { } p && Is(p) && runner is not null && signer(last) == runner ? last : null;

    /// <summary>
    /// The start <paramref name="end"/> (an execution that ends a run) continues: its signer's open start among
    /// <paramref name="earlier"/> (<see cref="OpenBy"/>), if of the same runbook and drill flag (<see cref="Continues"/>); else null.
    /// </summary>
    public static T? OfEnd<T>(IEnumerable<T> earlier, T end, Func<T, ExecutionPredicate?> predicate, Func<T, string?> signer) where T : class =>
        predicate(end) is { } ended && !Is(ended) && OpenBy(earlier, predicate, signer, signer(end)) is { } start
            && predicate(start) is { } started && Continues(started, ended.RunbookDigest, ended.Drill) ? start : null;

    /// <summary>The executions that ended a run (completed or failed), leaving out the starts.</summary>
    public static IReadOnlyList<LoggedPredicate<ExecutionPredicate>> Ended(IEnumerable<LoggedPredicate<ExecutionPredicate>> executions) =>
        [.. executions.Where(e => !Is(e.Predicate))];

    /// <summary>Whether <paramref name="end"/> (or a resume about to log it) is the run <paramref name="start"/> began: the same runbook, drill or not alike.</summary>
    public static bool Continues(ExecutionPredicate start, string runbookDigest, bool drill) =>
        start.RunbookDigest == runbookDigest && start.Drill == drill;

    /// <summary>
    /// Whether one of the policy's approvers rejected the request after the start at log index <paramref name="start"/>
    /// (among <paramref name="approvals"/>, those of the request logged before what is judged): the run is stopped then,
    /// whatever the approvals' expiry would make of the decision.
    /// </summary>
    public static bool RejectedAfter(RollbackPolicy policy, IEnumerable<ApprovalFacts> approvals, long start) =>
        approvals.Any(a => a.LogIndex > start && a.Decision == ApprovalDecision.Reject
            && (policy.Holds(a.Approver, RollbackRole.Approver) || policy.Holds(a.Approver, RollbackRole.SecurityApprover)));
}
