using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// <paramref name="App"/>'s <paramref name="Side"/> put in place by the log entry <paramref name="Entry"/>: a
/// deployment, or the completed execution of the rollback request <paramref name="Request"/>.
/// </summary>
public sealed record Placement(string App, RollbackSide Side, LedgerEntry Entry, StatementRef? Request);

/// <summary>
/// What ran where, as the log records it: deployment statements that count and, once the environment had a policy,
/// were signed by one of its operators; and rollbacks whose execution completed (<see cref="CompletedRollback"/>),
/// which put their request's target in place. A rollback's current side is the latest such placement of the app;
/// its target, an earlier placement of the version asked for. Nothing else (an index, a record, a journal) says what ran.
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

    /// <summary>Every deployment and completed rollback in <paramref name="environment"/> (of <paramref name="app"/>, if given) logged before <paramref name="before"/>, in log order.</summary>
    public static Result<IReadOnlyList<Placement>> Placements(LedgerView view, string environment, string? app, long before)
    {
        var deployments = Deployments(view, environment, app, before);
        if (!deployments.IsOk)
            return deployments.Problem;
        var rollbacks = Rollbacks(view, environment, app, before);
        if (!rollbacks.IsOk)
            return rollbacks.Problem;
        var placed = deployments.Value.Select(d => new Placement(d.Predicate.App, new RollbackSide(d.Predicate.Version, d.Predicate.Release, d.Ref), d.Entry, null));
        return Result<IReadOnlyList<Placement>>.Ok([.. placed.Concat(rollbacks.Value).OrderBy(p => p.Entry.Index)]);
    }

    // Executions that completed a rollback in this environment. One that names no earlier request that counts, or
    // names it by another digest, puts nothing in place; a request that counts but whose policy cannot be read stops
    // the answer, as it stops that request's own decision.
    private static Result<List<Placement>> Rollbacks(LedgerView view, string environment, string? app, long before)
    {
        var executions = view.Statements<ExecutionPredicate>(StatementKinds.Execution, before);
        if (!executions.IsOk)
            return executions.Problem;
        var found = new List<Placement>();
        foreach (var execution in executions.Value.Counted.Where(e => e.Predicate.Outcome == CompletedRollback.Outcome && e.Predicate.Request.LogIndex < e.Entry.Index))
        {
            var request = view.Read<RollbackRequestPredicate>(execution.Predicate.Request.LogIndex, StatementKinds.RollbackRequest);
            if (!request.IsOk && request.Problem.Code is ErrorCodes.InputMalformed or ErrorCodes.KeyNotTrusted)
                continue;
            if (!request.IsOk)
                return request.Problem;
            var r = request.Value.Predicate;
            if (r.Environment != environment || (app is not null && r.App != app))
                continue;
            var policy = view.Read<PolicyPredicate>(r.Policy, StatementKinds.Policy);
            var rules = policy.IsOk ? PolicyYaml.Parse(policy.Value.Predicate.Yaml) : policy.Problem;
            if (!rules.IsOk)
                return rules.Problem with { Message = $"request {request.Value.Entry.Index}, which execution {execution.Entry.Index} completed: {rules.Problem.Message}" };
            if (CompletedRollback.WhyNot(execution.Entry.Statement!, execution.Predicate, execution.Entry.Signer!, request.Value.Ref, r, rules.Value) is null)
                found.Add(new Placement(r.App, CompletedRollback.Side(r, execution.Ref), execution.Entry, request.Value.Ref));
        }
        return Result<List<Placement>>.Ok(found);
    }

    /// <summary>The app, what ran last in <paramref name="environment"/> before <paramref name="before"/>, and the latest earlier placement of <paramref name="targetVersion"/>.</summary>
    public static Result<(string App, RollbackSide Current, RollbackSide Target)> Find(LedgerView view, string environment, string? app, string targetVersion, long before)
    {
        var placements = Placements(view, environment, app, before);
        if (!placements.IsOk)
            return placements.Problem;
        var latest = placements.Value.GroupBy(p => p.App, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        if (latest.Count != 1)
            return Invalid(latest.Count == 0
                ? $"nothing{(app is null ? "" : $" of {app}")} has been recorded as deployed to {environment} by its operators"
                : $"{environment} runs {string.Join(", ", latest.Select(p => p.App))}: say which with --app");
        var now = latest[0];
        if (now.Side.Version == targetVersion)
            return Invalid($"{now.App} {now.Side.Version} is what runs in {environment} already{(now.Request is { } request ? $" (rollback request {request.LogIndex}, completed by execution {now.Entry.Index})" : "")}");
        var earlier = placements.Value.LastOrDefault(p => p.App == now.App && p.Side.Version == targetVersion && p.Entry.Index < now.Entry.Index);
        if (earlier is null)
            return Invalid($"{now.App} {targetVersion} was never deployed to {environment} before {now.Side.Version}, nor restored there by a completed rollback: a rollback goes back to a release that ran there");
        return Result<(string, RollbackSide, RollbackSide)>.Ok((now.App, now.Side, earlier.Side));
    }

    private static Result<(string, RollbackSide, RollbackSide)> Invalid(string message) => Result<(string, RollbackSide, RollbackSide)>.Fail(ErrorCodes.RequestInvalid, message);
}
