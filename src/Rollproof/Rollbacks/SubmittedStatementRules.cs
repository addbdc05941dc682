using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// The rules the CLI checks before it signs a statement, checked again for one signed elsewhere and submitted to a
/// server (<see cref="StatementIntake"/>), through the same functions: an approval or review by someone the policy
/// lets decide on its subject (never its requester, amender or author), a policy proposed by an admin of the one in
/// force, a deployment of a published release by an operator, and a rollback's own statements as
/// <see cref="SubmittedRollbackRules"/> says. A statement about an earlier one names the same one in its signed subject
/// and its predicate. What a local append would refuse, the server refuses.
/// </summary>
public static class SubmittedStatementRules
{
    /// <summary>
    /// Null if <paramref name="statement"/> of <paramref name="kind"/>, signed by <paramref name="signer"/> (a
    /// trust-file name), is one the CLI would sign now; else the rule it breaks. <paramref name="stateFile"/> is where
    /// release verification remembers the log's last checkpoint (the risk of a request verifies its target).
    /// </summary>
    public static async Task<Problem?> CheckAsync(ReleaseStore store, string kind, InTotoStatement statement, string? signer, string stateFile, TimeProvider clock, CancellationToken cancellation = default)
    {
        if (Evidence.EvidenceChecker.BoundToRequest.Contains(kind) && StatementSubjects.RefersTo(statement) is var subject && subject != StatementSubjects.PredicateNames(statement))
            return new Problem(ErrorCodes.RequestInvalid, $"$.subject: names {(subject is null ? "no earlier statement" : $"log index {subject.LogIndex} ({subject.Digest})")}, not the statement its predicate is about");
        var now = clock.GetUtcNow();
        return kind switch
        {
            StatementKinds.Approval => Then(Read<ApprovalPredicate>(statement, kind, "an approval"), approval => Approval(store, approval, signer, now)),
            StatementKinds.Review => Then(Read<ReviewPredicate>(statement, kind, "a review"), review => Bound(ApprovalLedger.MayReview(store, review.Request.LogIndex, signer), review.Request, "request")),
            StatementKinds.Policy => Then(Read<PolicyPredicate>(statement, kind, "a policy"), policy => Policy(store, policy, signer)),
            StatementKinds.Deployment => Then(Read<DeploymentPredicate>(statement, kind, "a deployment"), deployment => Deployment(store, deployment, signer)),
            StatementKinds.RollbackRequest => await ThenAsync(Read<RollbackRequestPredicate>(statement, kind, "a rollback request"), r => SubmittedRollbackRules.RequestAsync(store, r, signer, stateFile, now, cancellation)),
            StatementKinds.Execution => await ThenAsync(Read<ExecutionPredicate>(statement, kind, "an execution"), e => SubmittedRollbackRules.ExecutionAsync(store, e, signer, stateFile, clock, cancellation)),
            StatementKinds.Notification => await ThenAsync(Read<NotificationPredicate>(statement, kind, "a notification"), n => SubmittedRollbackRules.NotificationAsync(store, n, signer, stateFile, clock, cancellation)),
            StatementKinds.Report => await ThenAsync(Read<ReportPredicate>(statement, kind, "a report"), r => SubmittedRollbackRules.ReportAsync(store, r, signer, stateFile, clock, cancellation)),
            StatementKinds.RollbackAmendment => Then(Read<AmendmentPredicate>(statement, kind, "an amendment"), a => SubmittedRollbackRules.Amendment(store, a, signer)),
            StatementKinds.LockOverride => Then(Read<LockOverridePredicate>(statement, kind, "a lock override"), o => SubmittedRollbackRules.LockOverride(store, o, signer)),
            _ => null,
        };
    }

    /// <summary>Whether logging <paramref name="statement"/> can change the policy in force: a policy, or an approval of a policy change.</summary>
    public static bool ChangesPolicy(ReleaseStore store, string kind, InTotoStatement statement)
    {
        if (kind == StatementKinds.Policy)
            return true;
        if (kind != StatementKinds.Approval || StatementSubjects.PredicateNames(statement) is not { } subject || store.ReadLogState() is not { IsOk: true } state)
            return false;
        return state.Value.Map.Of(StatementKinds.Policy, subject.LogIndex, subject.LogIndex + 1).Any();
    }

    private static Result<T> Read<T>(InTotoStatement statement, string kind, string what) where T : class
    {
        var predicate = PredicateJson.Read<T>(statement, StatementKinds.PredicateType(kind), what);
        return predicate.IsOk ? predicate : predicate.Problem with { Message = $"$.payload.predicate: {predicate.Problem.Message}" };
    }

    private static Problem? Then<T>(Result<T> predicate, Func<T, Problem?> check) => predicate.IsOk ? check(predicate.Value) : predicate.Problem;

    private static async Task<Problem?> ThenAsync<T>(Result<T> predicate, Func<T, Task<Problem?>> check) => predicate.IsOk ? await check(predicate.Value) : predicate.Problem;

    private static Problem? Approval(ReleaseStore store, ApprovalPredicate approval, string? approver, DateTimeOffset now)
    {
        if (approval.ExpiresAt <= now)
            return new Problem(ErrorCodes.InputMalformed, $"$.payload.predicate.expiresAt: {approval.ExpiresAt:O} has passed");
        var state = store.ReadLogState();
        if (!state.IsOk)
            return state.Problem;
        var index = approval.Subject.LogIndex;
        bool Is(string kind) => state.Value.Map.Of(kind, index, index + 1).Any();
        Result<StatementRef> subject;
        if (Is(StatementKinds.RollbackRequest))
            subject = ApprovalLedger.MayDecideOnRequest(store, index, approver);
        else if (Is(StatementKinds.Policy))
            subject = ApprovalLedger.MayDecideOnPolicyChange(store, index, approver);
        else if (Is(StatementKinds.RollbackAmendment))
        {
            var amendment = new StatementLedger(store).Read<AmendmentPredicate>(index, StatementKinds.RollbackAmendment);
            subject = amendment.IsOk ? ApprovalLedger.MayDecideOnAmendment(store, amendment.Value.Predicate.Request.LogIndex, index, approver) : amendment.Problem;
        }
        else
            return new Problem(ErrorCodes.RequestInvalid, $"$.payload.predicate.subject: log index {index} is no rollback request, runbook amendment or policy change");
        return Bound(subject, approval.Subject, "subject");
    }

    private static Problem? Policy(ReleaseStore store, PolicyPredicate policy, string? author)
    {
        var proposed = PolicyLedger.MayPropose(store, policy.Yaml, author);
        if (!proposed.IsOk)
            return proposed.Problem;
        return proposed.Value.Environment == policy.Environment && proposed.Value.Replaces == policy.Replaces
            ? null
            : new Problem(ErrorCodes.PolicyInvalid, $"$.payload.predicate: a policy for {policy.Environment} must name the one in force ({proposed.Value.Replaces?.LogIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}) as the one it replaces, and the environment its YAML names");
    }

    private static Problem? Deployment(ReleaseStore store, DeploymentPredicate deployment, string? deployer)
    {
        var policy = PolicyLedger.Read(new StatementLedger(store), store, deployment.Environment);
        if (!policy.IsOk && policy.Problem.Code != ErrorCodes.PolicyMissing)
            return policy.Problem;
        if (policy.IsOk && (deployer is null || !policy.Value.Policy.Holds(deployer, RollbackRole.Operator)))
            return new Problem(ErrorCodes.RoleNotHeld, $"{deployer ?? "this key"} is not an operator in {deployment.Environment}, and may not record deployments there");
        var release = store.Find(deployment.App, deployment.Version);
        if (!release.IsOk)
            return release.Problem with { Message = $"$.payload.predicate: {release.Problem.Message}" };
        return release.Value.LogIndex == deployment.Release.LogIndex && release.Value.EnvelopeDigest == deployment.Release.Digest
            ? null
            : new Problem(ErrorCodes.ReleaseMismatch, $"$.payload.predicate.release: {deployment.App} {deployment.Version} is log entry {release.Value.LogIndex} ({release.Value.EnvelopeDigest}), not the one named");
    }

    // The statement must name its subject exactly as the log holds it: index and digest.
    private static Problem? Bound(Result<StatementRef> allowed, StatementRef named, string field)
    {
        if (!allowed.IsOk)
            return allowed.Problem;
        return allowed.Value == named
            ? null
            : new Problem(ErrorCodes.RequestInvalid, $"$.payload.predicate.{field}: the digest named is not that of log entry {named.LogIndex} ({allowed.Value.Digest})");
    }
}
