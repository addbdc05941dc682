using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Trust;

namespace Rollproof.Queries;

/// <summary>
/// The columns an index keeps of a statement: which app, environment and version it is about, the earlier statement
/// it refers to (<paramref name="Refers"/>: a deployment's release, an approval's subject, a policy's predecessor), a
/// one-line summary, and the files a release names (<c>Artifact</c>: one of its signed subjects). What runs where is
/// kept too: the release a deployment or a request's target puts in place (<see cref="Target"/>), and how an
/// execution ended (<see cref="Outcome"/>, at <see cref="Step"/>). The ledger knows every kind of statement it records.
/// </summary>
public sealed record LedgerFacts(string? App, string? Environment, string? Version, long? Refers, string Summary, IReadOnlyList<(string Digest, string File, bool Artifact)> Files)
{
    /// <summary>The digest of the statement <see cref="LedgerFacts.Refers"/> names, where the statement names one: a later statement is about that entry only if the digests agree.</summary>
    public string? RefersDigest { get; init; }

    /// <summary>The log index of the release a deployment records, or a rollback request's target.</summary>
    public long? Target { get; init; }

    /// <summary>How an execution ended (completed, failed, …), as it says.</summary>
    public string? Outcome { get; init; }

    /// <summary>The step an execution that did not complete stopped at.</summary>
    public string? Step { get; init; }

    public static LedgerFacts Of(LedgerEntry entry)
    {
        if (entry.Statement is not { } statement)
            return new LedgerFacts(null, null, null, null, entry.Index == TrustAnchors.Index ? "the store's trust anchors" : "an entry that is not a Rollproof statement", []);
        // Verify before parse: what a statement that does not count says is never read, not even for a query.
        if (!entry.Counts)
            return new LedgerFacts(null, null, null, null, $"{entry.Kind} statement not counted: {entry.SetAside}", []);
        switch (entry.Kind)
        {
            case StatementKinds.Release when ReleaseStatement.Read(statement) is { IsOk: true } release:
            {
                var p = release.Value;
                var files = statement.Subjects.Select(s => ("sha256:" + s.Digest.GetValueOrDefault("sha256", ""), s.Name, true)).ToList();
                if (p.Sbom is { } sbom)
                    files.Add((sbom.Digest, "sbom", false));
                foreach (var migration in p.Migrations)
                {
                    files.Add((migration.UpDigest, $"migration {migration.Id} up", false));
                    if (migration.DownDigest is { } down)
                        files.Add((down, $"migration {migration.Id} down", false));
                }
                if (p.RollbackScriptDigest is { } script)
                    files.Add((script, "rollback script", false));
                return new LedgerFacts(p.App, null, p.Version, null, $"release {p.App} {p.Version}", files);
            }
            case StatementKinds.Deployment when LoggedPredicate.Of<DeploymentPredicate>(statement, StatementKinds.Deployment) is { } deployment:
            {
                var d = deployment;
                return new LedgerFacts(d.App, d.Environment, d.Version, d.Release.LogIndex, $"deployment of {d.App} {d.Version} to {d.Environment}", [])
                    { RefersDigest = d.Release.Digest, Target = d.Release.LogIndex };
            }
            case StatementKinds.Policy when LoggedPredicate.Of<PolicyPredicate>(statement, StatementKinds.Policy) is { } policy:
                return new LedgerFacts(null, policy.Environment, null, policy.Replaces?.LogIndex,
                    policy.Replaces is { } replaced ? $"policy change for {policy.Environment} (replacing log index {replaced.LogIndex})" : $"policy for {policy.Environment}", [])
                    { RefersDigest = policy.Replaces?.Digest };
            case StatementKinds.Approval when LoggedPredicate.Of<ApprovalPredicate>(statement, StatementKinds.Approval) is { } approval:
                return new LedgerFacts(null, null, null, approval.Subject.LogIndex,
                    $"{(approval.Decision == ApprovalDecision.Approve ? "approval" : "rejection")} of log index {approval.Subject.LogIndex}", []) { RefersDigest = approval.Subject.Digest };
            case StatementKinds.RollbackRequest when LoggedPredicate.Of<RollbackRequestPredicate>(statement, StatementKinds.RollbackRequest) is { } request:
            {
                var r = request;
                return new LedgerFacts(r.App, r.Environment, r.Target.Version, r.Current.Deployment.LogIndex,
                    $"{(r.Emergency ? "emergency " : "")}rollback request for {r.App} in {r.Environment}: {r.Current.Version} to {r.Target.Version} ({r.Reason}, {r.Ticket}, risk {r.Risk.Level.ToString().ToLowerInvariant()})", [])
                    { RefersDigest = r.Current.Deployment.Digest, Target = r.Target.Release.LogIndex };
            }
            case StatementKinds.Review when LoggedPredicate.Of<ReviewPredicate>(statement, StatementKinds.Review) is { } review:
                return new LedgerFacts(null, null, null, review.Request.LogIndex, $"review of log index {review.Request.LogIndex}: {review.Outcome}", []) { RefersDigest = review.Request.Digest };
            case StatementKinds.Execution when LoggedPredicate.Of<Runbooks.ExecutionPredicate>(statement, StatementKinds.Execution) is { } execution:
                return new LedgerFacts(null, null, null, execution.Request.LogIndex,
                    $"execution of request {execution.Request.LogIndex} ({execution.Runbook}): {execution.Outcome}{(execution.FailedStep is { } failed ? $" at step {failed}" : "")}", [])
                    { RefersDigest = execution.Request.Digest, Outcome = execution.Outcome, Step = execution.FailedStep };
            case StatementKinds.Report when LoggedPredicate.Of<Runbooks.ReportPredicate>(statement, StatementKinds.Report) is { } report:
                return new LedgerFacts(report.App, report.Environment, report.To, report.Request.LogIndex,
                    $"reconciliation report of request {report.Request.LogIndex}: {report.App} in {report.Environment} restored from {report.From} to {report.To}", []) { RefersDigest = report.Request.Digest };
            case StatementKinds.Notification when LoggedPredicate.Of<Runbooks.NotificationPredicate>(statement, StatementKinds.Notification) is { } notification:
                return new LedgerFacts(null, null, null, notification.Request.LogIndex, $"notification to {notification.Phase} for request {notification.Request.LogIndex} via {notification.Channel}", []) { RefersDigest = notification.Request.Digest };
            case StatementKinds.LockOverride when LoggedPredicate.Of<Runbooks.LockOverridePredicate>(statement, StatementKinds.LockOverride) is { } unlock:
                return new LedgerFacts(null, unlock.Environment, null, null, $"lock of {unlock.Environment} held by execution {unlock.Holder} released by override: {unlock.Reason}", []);
            case StatementKinds.KeyChange when LoggedPredicate.Of<KeyChangePredicate>(statement, StatementKinds.KeyChange) is { } change:
                return new LedgerFacts(null, null, null, null, change.Action == KeyChangePredicate.Revoke
                    ? $"key {change.Name} revoked from {change.RevokedAt:O}"
                    : $"key {change.Name} trusted for {string.Join(", ", change.Kinds)} from {change.ValidFrom:O}", []);
            default:
                return new LedgerFacts(null, null, null, null, $"{entry.Kind} statement ({statement.PredicateType})", []);
        }
    }
}
