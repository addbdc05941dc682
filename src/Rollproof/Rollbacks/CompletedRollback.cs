using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// When a rollback's execution put its request's target in place: the execution counts (signed by a key the trust
/// lets sign executions: the caller's one trust path), says it completed, names its request by index and digest in
/// its signed subject and its predicate alike, and was signed by an operator of the policy the request was made
/// under. A drill's execution counts too: it ran in its request's environment. The one rule for what a rollback
/// changed, applied to the log by <see cref="RollbackSides"/> (requests, decisions, gc) and to a package by evidence
/// verification; the index (<c>query environments</c>) applies its outcome and digest parts.
/// </summary>
public static class CompletedRollback
{
    /// <summary>The outcome of an execution that ran every step.</summary>
    public const string Outcome = "completed";

    /// <summary>
    /// Why <paramref name="execution"/> (whose statement is <paramref name="statement"/>, signed by the trusted
    /// <paramref name="signer"/>) did not put the target of the request at <paramref name="request"/> (that entry's
    /// index and digest, reading as <paramref name="requested"/>, made under <paramref name="policy"/>) in place;
    /// null if it did.
    /// </summary>
    public static string? WhyNot(InTotoStatement statement, ExecutionPredicate execution, string signer, StatementRef request, RollbackRequestPredicate requested, RollbackPolicy policy)
    {
        if (execution.Outcome != Outcome)
            return $"it did not complete ({execution.Outcome})";
        if (execution.Request != request || StatementSubjects.RefersTo(statement) != request)
            return $"it does not name request {request.LogIndex} by that entry's digest ({request.Digest})";
        if (policy.Environment != requested.Environment)
            return $"the policy request {request.LogIndex} names is for {policy.Environment}, not {requested.Environment}";
        return policy.Holds(signer, RollbackRole.Operator) ? null : $"{signer} is not an operator in {requested.Environment} under the policy request {request.LogIndex} was made under";
    }

    /// <summary>What a completed execution (at <paramref name="execution"/>) put in place: its request's target, as the request names it.</summary>
    public static RollbackSide Side(RollbackRequestPredicate request, StatementRef execution) => new(request.Target.Version, request.Target.Release, execution);
}
