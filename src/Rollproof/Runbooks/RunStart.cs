using Rollproof.Ledger;

namespace Rollproof.Runbooks;

/// <summary>
/// The start of a run: an execution statement with outcome <c>started</c> and no step, signed by the operator and
/// logged before the run's first step, while the run may go on (approved then, by an operator of the request's
/// policy). The execution that operator logs when the run ends is admitted on its start even if the approval has
/// lapsed since: a rollback can run for hours, and the run it ends is the one approved. The next execution of the
/// request closes the start, so a new run (a resume after a failure, another operator's) needs approval again.
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

    /// <summary>The executions that ended a run (completed or failed), leaving out the starts.</summary>
    public static IReadOnlyList<LoggedPredicate<ExecutionPredicate>> Ended(IEnumerable<LoggedPredicate<ExecutionPredicate>> executions) =>
        [.. executions.Where(e => !Is(e.Predicate))];
}
