using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Trust;

namespace Rollproof.Evidence;

/// <summary>
/// Checks from a package alone that each side of a request was put in place as it says, by the rule the live ledger
/// applies (<see cref="RollbackSides"/>): by a deployment of the request's app to its environment, of the version and
/// release it names; or by the completed execution of an earlier rollback there to that version and release
/// (<see cref="CompletedRollback"/>), which the package must hold with the request it completed and that request's
/// policy. Otherwise a request could borrow another environment's, or an execution that counts for nothing.
/// </summary>
internal static class EvidenceSides
{
    /// <summary>
    /// Why <paramref name="side"/> (the <paramref name="what"/> side of <paramref name="r"/>) is not shown by the
    /// package's counted statements (<paramref name="counted"/> by log index), naming the file; null if it is.
    /// <paramref name="shownBy"/> gets the entries a rollback's placement is shown by.
    /// </summary>
    public static (string File, string Why)? WhyNot(RollbackRequestPredicate r, RollbackSide side, string what, Func<long, CheckedEntry?> counted, ISet<long> shownBy)
    {
        var at = side.Deployment;
        if (counted(at.LogIndex) is not { } placed || placed.Digest != at.Digest || placed.Entry.Kind is not (StatementKinds.Deployment or StatementKinds.Execution))
            return (Path(at.LogIndex, counted(at.LogIndex)?.Entry.Kind ?? StatementKinds.Deployment),
                $"the {what} deployment named by the request (log index {at.LogIndex}, {at.Digest}) is missing, not signed by a trusted key, or is not the deployment or completed rollback the request names");
        if (placed.Entry.Kind == StatementKinds.Deployment)
        {
            var deployment = LoggedPredicate.Of<DeploymentPredicate>(placed.Statement, StatementKinds.Deployment);
            return deployment is null || deployment.Environment != r.Environment || deployment.App != r.App || deployment.Version != side.Version || deployment.Release != side.Release
                ? (Path(at.LogIndex, StatementKinds.Deployment), $"the request's {what} deployment (log index {at.LogIndex}) is not of {r.App} {side.Version} to {r.Environment} from the release it names")
                : null;
        }
        var file = Path(at.LogIndex, StatementKinds.Execution);
        if (LoggedPredicate.Of<ExecutionPredicate>(placed.Statement, StatementKinds.Execution) is not { } execution)
            return (file, "does not read as an execution");
        var named = execution.Request;
        if (counted(named.LogIndex) is not { Entry.Kind: StatementKinds.RollbackRequest } requestEntry || requestEntry.Digest != named.Digest
            || LoggedPredicate.Of<RollbackRequestPredicate>(requestEntry.Statement, StatementKinds.RollbackRequest) is not { } requested)
            return (Path(named.LogIndex, StatementKinds.RollbackRequest), $"the request that execution {at.LogIndex} (the request's {what} side) completed is missing, not signed by a trusted key, or is not the statement it names ({named.Digest})");
        if (counted(requested.Policy.LogIndex) is not { Entry.Kind: StatementKinds.Policy } policyEntry || policyEntry.Digest != requested.Policy.Digest
            || LoggedPredicate.Of<PolicyPredicate>(policyEntry.Statement, StatementKinds.Policy) is not { } policy)
            return (Path(requested.Policy.LogIndex, StatementKinds.Policy), $"the policy of request {named.LogIndex}, whose execution {at.LogIndex} is the request's {what} side, is missing, not signed by a trusted key, or is not the statement it names");
        var rules = PolicyYaml.Parse(policy.Yaml);
        if (!rules.IsOk)
            return (Path(requested.Policy.LogIndex, StatementKinds.Policy), rules.Problem.Message);
        if (CompletedRollback.WhyNot(placed.Statement, execution, placed.Signer, new StatementRef(named.LogIndex, requestEntry.Digest), requested, rules.Value) is { } why)
            return (file, $"the request's {what} side names this execution, which put nothing in place: {why}");
        if (requested.Environment != r.Environment || requested.App != r.App || CompletedRollback.Side(requested, at) != side)
            return (file, $"the request's {what} side names this execution, which put {requested.App} {requested.Target.Version} in place in {requested.Environment}, not {r.App} {side.Version} in {r.Environment} from the release the request names");
        shownBy.UnionWith([at.LogIndex, named.LogIndex, requested.Policy.LogIndex]);
        return null;
    }

    private static string Path(long index, string kind) => EvidenceLayout.EntryPath(index, kind, ".dsse.json");
}
