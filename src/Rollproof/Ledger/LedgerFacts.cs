using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;

namespace Rollproof.Ledger;

/// <summary>
/// The columns an index keeps of a statement: which app, environment and version it is about, the earlier statement
/// it refers to (<paramref name="Refers"/>: a deployment's release, an approval's subject, a policy's predecessor), a
/// one-line summary, and the files a release names. The ledger knows every kind of statement it records.
/// </summary>
public sealed record LedgerFacts(string? App, string? Environment, string? Version, long? Refers, string Summary, IReadOnlyList<(string Digest, string File)> Files)
{
    public static LedgerFacts Of(LedgerEntry entry)
    {
        if (entry.Statement is not { } statement)
            return new LedgerFacts(null, null, null, null, "an entry that is not a Rollproof statement", []);
        switch (entry.Kind)
        {
            case StatementKinds.Release when ReleaseStatement.Read(statement) is { IsOk: true } release:
            {
                var p = release.Value;
                var files = statement.Subjects.Select(s => ("sha256:" + s.Digest.GetValueOrDefault("sha256", ""), s.Name)).ToList();
                if (p.Sbom is { } sbom)
                    files.Add((sbom.Digest, "sbom"));
                foreach (var migration in p.Migrations)
                {
                    files.Add((migration.UpDigest, $"migration {migration.Id} up"));
                    if (migration.DownDigest is { } down)
                        files.Add((down, $"migration {migration.Id} down"));
                }
                if (p.RollbackScriptDigest is { } script)
                    files.Add((script, "rollback script"));
                return new LedgerFacts(p.App, null, p.Version, null, $"release {p.App} {p.Version}", files);
            }
            case StatementKinds.Deployment when PredicateJson.Read<DeploymentPredicate>(statement, StatementKinds.PredicateType(StatementKinds.Deployment), "a deployment") is { IsOk: true } deployment:
            {
                var d = deployment.Value;
                return new LedgerFacts(d.App, d.Environment, d.Version, d.Release.LogIndex, $"deployment of {d.App} {d.Version} to {d.Environment}", []);
            }
            case StatementKinds.Policy when PredicateJson.Read<PolicyPredicate>(statement, StatementKinds.PredicateType(StatementKinds.Policy), "a policy") is { IsOk: true } policy:
                return new LedgerFacts(null, policy.Value.Environment, null, policy.Value.Replaces?.LogIndex,
                    policy.Value.Replaces is { } replaced ? $"policy change for {policy.Value.Environment} (replacing log index {replaced.LogIndex})" : $"policy for {policy.Value.Environment}", []);
            case StatementKinds.Approval when PredicateJson.Read<ApprovalPredicate>(statement, StatementKinds.PredicateType(StatementKinds.Approval), "an approval") is { IsOk: true } approval:
                return new LedgerFacts(null, null, null, approval.Value.Subject.LogIndex,
                    $"{(approval.Value.Decision == ApprovalDecision.Approve ? "approval" : "rejection")} of log index {approval.Value.Subject.LogIndex}", []);
            case StatementKinds.RollbackRequest when PredicateJson.Read<RollbackRequestPredicate>(statement, StatementKinds.PredicateType(StatementKinds.RollbackRequest), "a rollback request") is { IsOk: true } request:
            {
                var r = request.Value;
                return new LedgerFacts(r.App, r.Environment, r.Target.Version, r.Current.Deployment.LogIndex,
                    $"{(r.Emergency ? "emergency " : "")}rollback request for {r.App} in {r.Environment}: {r.Current.Version} to {r.Target.Version} ({r.Reason}, {r.Ticket}, risk {r.Risk.Level.ToString().ToLowerInvariant()})", []);
            }
            case StatementKinds.Review when PredicateJson.Read<ReviewPredicate>(statement, StatementKinds.PredicateType(StatementKinds.Review), "a review") is { IsOk: true } review:
                return new LedgerFacts(null, null, null, review.Value.Request.LogIndex, $"review of log index {review.Value.Request.LogIndex}: {review.Value.Outcome}", []);
            case StatementKinds.Execution when PredicateJson.Read<Runbooks.ExecutionPredicate>(statement, StatementKinds.PredicateType(StatementKinds.Execution), "an execution") is { IsOk: true } execution:
                return new LedgerFacts(null, null, null, execution.Value.Request.LogIndex,
                    $"execution of request {execution.Value.Request.LogIndex} ({execution.Value.Runbook}): {execution.Value.Outcome}{(execution.Value.FailedStep is { } failed ? $" at step {failed}" : "")}", []);
            case StatementKinds.Report when PredicateJson.Read<Runbooks.ReportPredicate>(statement, StatementKinds.PredicateType(StatementKinds.Report), "a report") is { IsOk: true } report:
                return new LedgerFacts(report.Value.App, report.Value.Environment, report.Value.To, report.Value.Request.LogIndex,
                    $"reconciliation report of request {report.Value.Request.LogIndex}: {report.Value.App} in {report.Value.Environment} restored from {report.Value.From} to {report.Value.To}", []);
            case StatementKinds.LockOverride when PredicateJson.Read<Runbooks.LockOverridePredicate>(statement, StatementKinds.PredicateType(StatementKinds.LockOverride), "a lock override") is { IsOk: true } unlock:
                return new LedgerFacts(null, unlock.Value.Environment, null, null, $"lock of {unlock.Value.Environment} held by execution {unlock.Value.Holder} released by override: {unlock.Value.Reason}", []);
            case StatementKinds.KeyChange when PredicateJson.Read<KeyChangePredicate>(statement, StatementKinds.PredicateType(StatementKinds.KeyChange), "a key change") is { IsOk: true } change:
                return new LedgerFacts(null, null, null, null, change.Value.Action == KeyChangePredicate.Revoke
                    ? $"key {change.Value.Name} revoked from {change.Value.RevokedAt:O}"
                    : $"key {change.Value.Name} trusted for {string.Join(", ", change.Value.Kinds)} from {change.Value.ValidFrom:O}", []);
            default:
                return new LedgerFacts(null, null, null, null, $"{entry.Kind} statement ({statement.PredicateType})", []);
        }
    }
}
