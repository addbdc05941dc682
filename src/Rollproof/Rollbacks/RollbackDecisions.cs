using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks.Policy;
using Rollproof.Rollbacks.Risk;
using Rollproof.Signing;

namespace Rollproof.Rollbacks;

/// <summary>Where an emergency rollback's after-the-fact review stands.</summary>
public sealed record ReviewState(DateTimeOffset Due, long? ReviewedAt, string? Reviewer, bool Overdue);

/// <summary>A request with the policy's decision on it now, and for an emergency, its review.</summary>
public sealed record RequestStatus(LoggedPredicate<RollbackRequestPredicate> Request, PolicyDecision Decision, ReviewState? Review);

/// <summary>
/// Re-derives a request's decision from the log: the request, the policy it was made under, every approval bound to
/// it, and the target's integrity checked again now (a key revoked since, or an artifact altered since, refuses it).
/// </summary>
public static class RollbackDecisions
{
    public static RequestFacts Facts(RollbackRequestPredicate request, StatementRef requestRef, string requester, DateTimeOffset requestedAt, DateTimeOffset? targetReleasedAt, bool integrityFailed) =>
        new(requestRef, requester, requestedAt, request.Emergency, request.Ticket, request.TestResultsDigest is not null,
            targetReleasedAt ?? DateTimeOffset.MinValue, request.Risk.Level, integrityFailed || request.Risk.IntegrityFailed,
            request.Risk.SecurityRelevant, request.Risk.IrreversibleMigrations);

    public static async Task<Result<RequestStatus>> StatusAsync(ReleaseStore store, long requestIndex, string stateFile, TimeProvider clock, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var opened = new StatementLedger(store).OpenIndex();
        if (!opened.IsOk)
            return opened.Problem;
        using var index = opened.Value;
        var size = index.IndexedSize;
        var request = LoggedPredicate.Read<RollbackRequestPredicate>(store.Log, trust.Value, requestIndex, size, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem;
        var r = request.Value.Predicate;
        if (request.Value.Entry.Signer is not { } requester || request.Value.Entry.LoggedAt is not { } requestedAt)
            return Result<RequestStatus>.Fail(ErrorCodes.KeyNotTrusted, $"request {requestIndex} is not signed by a key of the trust file, or has no log timestamp");
        var policyStatement = LoggedPredicate.Read<PolicyPredicate>(store.Log, trust.Value, r.Policy.LogIndex, size, StatementKinds.Policy);
        if (!policyStatement.IsOk)
            return policyStatement.Problem;
        if (policyStatement.Value.Ref != r.Policy)
            return Result<RequestStatus>.Fail(ErrorCodes.ReleaseMismatch, $"request {requestIndex} names a policy at log index {r.Policy.LogIndex} whose digest does not match");
        var policy = PolicyYaml.Parse(policyStatement.Value.Predicate.Yaml);
        if (!policy.IsOk)
            return policy.Problem;

        var approvals = new List<ApprovalFacts>();
        var unsigned = new List<string>();
        foreach (var approvalIndex in index.Referring(requestIndex, StatementKinds.Approval))
        {
            var approval = LoggedPredicate.Read<ApprovalPredicate>(store.Log, trust.Value, approvalIndex, size, StatementKinds.Approval);
            if (!approval.IsOk)
                return approval.Problem;
            var entry = approval.Value.Entry;
            if (entry.Signer is not { } approver || entry.LoggedAt is not { } loggedAt || !trust.Value.Authorize(entry.SignerKeyId!, StatementKinds.Approval, loggedAt).IsOk)
            {
                unsigned.Add($"log index {entry.Index} is not signed by a key the trust file lets sign approvals (forged or altered)");
                continue;
            }
            var a = approval.Value.Predicate;
            approvals.Add(new ApprovalFacts(entry.Index, approver, loggedAt, a.Subject, a.Decision, a.ExpiresAt, a.Conditions));
        }

        var now = clock.GetUtcNow();
        var target = await ReleaseVerifier.VerifyAsync(store, r.App, r.Target.Version, trust.Value, stateFile, cancellation);
        var integrityFailed = !target.IsOk || SignerKeyStatus.Of(trust.Value, target.Value.SignedBy, now) == KeyStatus.Revoked;
        var facts = Facts(r, request.Value.Ref, requester, requestedAt, RollbackRequester.TargetReleasedAt(store, trust.Value, r.Target), integrityFailed);
        var evaluated = PolicyEvaluator.Evaluate(policy.Value, facts, approvals, now);
        var decision = evaluated with { IgnoredApprovals = [.. unsigned, .. evaluated.IgnoredApprovals] };
        var review = r.Emergency ? Review(index, store, trust.Value, policy.Value, request.Value, decision.ReviewDue!.Value, now, size) : null;
        return Result<RequestStatus>.Ok(new RequestStatus(request.Value, decision, review));
    }

    // The first review by one of the policy's reviewers closes it; without one by the deadline, it is overdue.
    private static ReviewState Review(ILedgerIndex index, ReleaseStore store, TrustFile trust, RollbackPolicy policy, LoggedPredicate<RollbackRequestPredicate> request, DateTimeOffset due, DateTimeOffset now, long size)
    {
        foreach (var reviewIndex in index.Referring(request.Entry.Index, StatementKinds.Review))
        {
            var review = LoggedPredicate.Read<ReviewPredicate>(store.Log, trust, reviewIndex, size, StatementKinds.Review);
            if (review.IsOk && review.Value.Predicate.Request == request.Ref && review.Value.Entry.Signer is { } reviewer && policy.Emergency.Reviewers.Contains(reviewer)
                && reviewer != request.Entry.Signer)
                return new ReviewState(due, reviewIndex, reviewer, Overdue: review.Value.Entry.LoggedAt > due);
        }
        return new ReviewState(due, null, null, Overdue: now > due);
    }
}
