using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Rollbacks.Policy;

namespace Rollproof.Rollbacks;

/// <summary>
/// What ran where, as the log records it: deployment statements that count and, once the environment had a policy,
/// were signed by one of its operators. A rollback's current side is the latest such deployment of the app; its
/// target, an earlier deployment of the version asked for. Nothing else (an index, a record) says what ran.
/// </summary>
public static class RollbackSides
{
    /// <summary>The deployments to <paramref name="environment"/> (of <paramref name="app"/>, if given) logged before <paramref name="before"/> that count, in log order.</summary>
    public static Result<IReadOnlyList<LoggedPredicate<DeploymentPredicate>>> Deployments(LedgerView view, string environment, string? app, long before)
    {
        var statements = view.Statements<DeploymentPredicate>(StatementKinds.Deployment, before, environment);
        if (!statements.IsOk)
            return statements.Problem;
        var found = new List<LoggedPredicate<DeploymentPredicate>>();
        foreach (var deployment in statements.Value.Counted)
        {
            var (d, entry) = (deployment.Predicate, deployment.Entry);
            if (d.Environment != environment || (app is not null && d.App != app))
                continue;
            var policy = PolicyLedger.InForce(view, environment, entry.Index);
            if (!policy.IsOk && policy.Problem.Code != ErrorCodes.PolicyMissing)
                return policy.Problem;
            if (policy.IsOk && !policy.Value.Policy.Holds(entry.Signer!, RollbackRole.Operator))
                continue; // by someone who was not an operator there: not a deployment the policy recognises
            found.Add(deployment);
        }
        return Result<IReadOnlyList<LoggedPredicate<DeploymentPredicate>>>.Ok(found);
    }

    /// <summary>The app, what ran last in <paramref name="environment"/> before <paramref name="before"/>, and the latest earlier deployment of <paramref name="targetVersion"/>.</summary>
    public static Result<(string App, RollbackSide Current, RollbackSide Target)> Find(LedgerView view, string environment, string? app, string targetVersion, long before)
    {
        var deployments = Deployments(view, environment, app, before);
        if (!deployments.IsOk)
            return deployments.Problem;
        var latest = deployments.Value.GroupBy(d => d.Predicate.App, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        if (latest.Count != 1)
            return Invalid(latest.Count == 0
                ? $"nothing{(app is null ? "" : $" of {app}")} has been recorded as deployed to {environment} by its operators"
                : $"{environment} runs {string.Join(", ", latest.Select(d => d.Predicate.App))}: say which with --app");
        var now = latest[0];
        if (now.Predicate.Version == targetVersion)
            return Invalid($"{now.Predicate.App} {now.Predicate.Version} is what runs in {environment} already");
        var earlier = deployments.Value.LastOrDefault(d => d.Predicate.App == now.Predicate.App && d.Predicate.Version == targetVersion && d.Entry.Index < now.Entry.Index);
        if (earlier is null)
            return Invalid($"{now.Predicate.App} {targetVersion} was never deployed to {environment} before {now.Predicate.Version}: a rollback goes back to a release that ran there");
        return Result<(string, RollbackSide, RollbackSide)>.Ok((now.Predicate.App, Side(now), Side(earlier)));
    }

    private static RollbackSide Side(LoggedPredicate<DeploymentPredicate> deployment) => new(deployment.Predicate.Version, deployment.Predicate.Release, deployment.Ref);

    private static Result<(string, RollbackSide, RollbackSide)> Invalid(string message) => Result<(string, RollbackSide, RollbackSide)>.Fail(ErrorCodes.RequestInvalid, message);
}
