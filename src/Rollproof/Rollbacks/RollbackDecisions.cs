using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks.Policy;
using Rollproof.Rollbacks.Risk;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// Where an emergency rollback's after-the-fact review stands: due by <paramref name="Due"/>; once in, when it was
/// logged (<paramref name="ReviewedAt"/>, the log's time), at which log index, by whom, and whether it came after the
/// deadline (<paramref name="Late"/>). Only a review still missing after the deadline is <paramref name="Overdue"/>.
/// </summary>
public sealed record ReviewState(DateTimeOffset Due, DateTimeOffset? ReviewedAt, long? ReviewIndex, string? Reviewer, bool Overdue, bool Late);

/// <summary>
/// A request with the policy's decision on it now, and for an emergency, its review. <see cref="ApprovedAt"/> is when
/// the decision last became approved (the log's time of the approval that completed it, or of the request when it
/// needed none); null unless approved now.
/// </summary>
public sealed record RequestStatus(LoggedPredicate<RollbackRequestPredicate> Request, PolicyDecision Decision, ReviewState? Review)
{
    public DateTimeOffset? ApprovedAt { get; init; }
}

/// <summary>
/// Re-derives a request's decision from the log: the request, the policy it was made under, every approval bound to
/// it, and the target's integrity checked again now (a key revoked since, or an artifact altered since, refuses it).
/// </summary>
public static class RollbackDecisions
{
    public static RequestFacts Facts(RollbackRequestPredicate request, StatementRef requestRef, string requester, DateTimeOffset requestedAt, DateTimeOffset? targetReleasedAt, RiskAssessment risk) =>
        new(requestRef, requester, requestedAt, request.Emergency, request.Ticket, request.TestResultsDigest is not null,
            targetReleasedAt ?? DateTimeOffset.MinValue, risk.Level, risk.IntegrityFailed, risk.SecurityRelevant, risk.IrreversibleMigrations);

    /// <summary>
    /// The decision on a request as of the clock's time, re-derived from the log alone. Everything is read as it
    /// stood: the policy in force for the request's environment when it was logged (a request naming any other is
    /// refused), what ran there and before (operators' deployments and completed rollbacks, <see cref="RollbackSides"/>), the risk computed again from
    /// the signed releases and the feed the request recorded (a request stating another is refused), and the
    /// approvals, rejections and review logged by then. Statements that do not count are reported, never dropped.
    /// </summary>
    public static async Task<Result<RequestStatus>> StatusAsync(ReleaseStore store, long requestIndex, string stateFile, TimeProvider clock, CancellationToken cancellation = default)
    {
        var now = clock.GetUtcNow();
        var opened = LedgerView.Open(store);
        if (!opened.IsOk)
            return opened.Problem;
        var view = opened.Value;
        var request = view.Read<RollbackRequestPredicate>(requestIndex, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem;
        var r = request.Value.Predicate;
        var (requester, requestedAt) = (request.Value.Entry.Signer!, request.Value.Entry.LoggedAt!.Value);
        if (requestedAt > now)
            return Result<RequestStatus>.Fail(ErrorCodes.RequestInvalid, $"request {requestIndex} was logged at {requestedAt:O}, after {now:O}");
        var policy = PolicyAndSides(view, requestIndex, r);
        if (!policy.IsOk)
            return policy.Problem;
        // The analysis and the approvals read different things: both cores can work at once.
        var computing = Task.Run(() => ComputedRiskAsync(view, requestIndex, r, stateFile, now, cancellation), cancellation);
        var approvals = view.Referring<ApprovalPredicate>(request.Value.Ref, StatementKinds.Approval);
        var risk = await computing;
        if (!risk.IsOk)
            return risk.Problem;
        if (!approvals.IsOk)
            return approvals.Problem;
        var counted = approvals.Value.Counted.Where(a => a.Entry.LoggedAt <= now)
            .Select(ApprovalFacts.Of).ToList();
        var released = TargetReleasedAt(view, r.Target);
        if (!released.IsOk)
            return released.Problem;
        var facts = Facts(r, request.Value.Ref, requester, requestedAt, released.Value, risk.Value);
        var evaluated = PolicyEvaluator.Evaluate(policy.Value.Policy, facts, counted, now);
        var decision = evaluated with { IgnoredApprovals = [.. approvals.Value.SetAside, .. evaluated.IgnoredApprovals] };
        var approvedAt = decision.Status == DecisionStatus.Approved ? ApprovedSince(policy.Value.Policy, facts, counted) : null;
        if (!r.Emergency)
            return Result<RequestStatus>.Ok(new RequestStatus(request.Value, decision, null) { ApprovedAt = approvedAt });
        var review = Review(view, policy.Value.Policy, request.Value, decision.ReviewDue!.Value, now);
        return review.IsOk ? Result<RequestStatus>.Ok(new RequestStatus(request.Value, decision, review.Value) { ApprovedAt = approvedAt }) : review.Problem;
    }

    // The decision judged again as each approval was logged, with those logged by then: approved since the last time
    // it turned approved (the request's own time if it needed no approval).
    private static DateTimeOffset? ApprovedSince(RollbackPolicy policy, RequestFacts facts, IReadOnlyList<ApprovalFacts> approvals)
    {
        DateTimeOffset? since = null;
        for (var taken = 0; taken <= approvals.Count; taken++)
        {
            var at = taken == 0 ? facts.RequestedAt : approvals[taken - 1].LoggedAt;
            var approved = PolicyEvaluator.Evaluate(policy, facts, [.. approvals.Take(taken)], at).Status == DecisionStatus.Approved;
            since = approved ? since ?? at : null;
        }
        return since;
    }

    /// <summary>
    /// The policy in force for the request's environment before <paramref name="requestIndex"/> (where it is or will be
    /// logged), if the request names it, and names as its sides what the log says ran there then and before
    /// (<see cref="RollbackSides"/>); a request naming anything else is inconsistent with the log.
    /// </summary>
    public static Result<EffectivePolicy> PolicyAndSides(LedgerView view, long requestIndex, RollbackRequestPredicate r)
    {
        var policy = PolicyLedger.InForce(view, r.Environment, requestIndex);
        if (!policy.IsOk)
            return policy.Problem;
        if (policy.Value.Ref != r.Policy)
            return Inconsistent(requestIndex, $"it names the policy at log index {r.Policy.LogIndex}, but the policy in force for {r.Environment} when it was logged is the one at log index {policy.Value.Ref.LogIndex}");
        var sides = RollbackSides.Find(view, r.Environment, r.App, r.Target.Version, requestIndex);
        if (!sides.IsOk)
            return Inconsistent(requestIndex, sides.Problem.Message);
        if (sides.Value.Current != r.Current || sides.Value.Target != r.Target)
            return Inconsistent(requestIndex, $"it names {r.App} {r.Current.Version} (put in place at log index {r.Current.Deployment.LogIndex}) back to {r.Target.Version} (log index {r.Target.Deployment.LogIndex}), but the log says {sides.Value.Current.Version} (log index {sides.Value.Current.Deployment.LogIndex}) ran then, and {sides.Value.Target.Version} before it (log index {sides.Value.Target.Deployment.LogIndex})");
        return policy;
    }

    /// <summary>The risk computed again from what is signed and stored, refused if the request states another.</summary>
    public static async Task<Result<RiskAssessment>> ComputedRiskAsync(LedgerView view, long requestIndex, RollbackRequestPredicate r, string stateFile, DateTimeOffset now, CancellationToken cancellation)
    {
        var feed = await RequestRisk.FeedAsync(view.Store, r.VulnerabilityFeedDigest, cancellation);
        if (!feed.IsOk)
            return feed.Problem;
        var risk = await RequestRisk.AssessAsync(view, r.App, r.Current, r.Target, feed.Value, stateFile, now, cancellation);
        if (!risk.IsOk)
            return risk.Problem;
        return await RequestRisk.CheckStatedAsync(view.Store, requestIndex, r.Risk, risk.Value, cancellation) is { } misstated ? misstated : risk;
    }

    /// <summary>When the target's release statement was logged, by the log's own timestamp; it must count.</summary>
    public static Result<DateTimeOffset> TargetReleasedAt(LedgerView view, RollbackSide target)
    {
        var release = view.Read<Releases.ReleasePredicate>(target.Release, StatementKinds.Release);
        return release.IsOk ? Result<DateTimeOffset>.Ok(release.Value.Entry.LoggedAt!.Value) : release.Problem;
    }

    // The first review logged by then by one of the policy's reviewers closes it; without one by the deadline, it is overdue.
    private static Result<ReviewState> Review(LedgerView view, RollbackPolicy policy, LoggedPredicate<RollbackRequestPredicate> request, DateTimeOffset due, DateTimeOffset now)
    {
        var reviews = view.Referring<ReviewPredicate>(request.Ref, StatementKinds.Review);
        if (!reviews.IsOk)
            return reviews.Problem;
        foreach (var review in reviews.Value.Counted.Where(r => r.Entry.LoggedAt <= now))
            if (review.Predicate.Request == request.Ref && review.Entry.Signer is { } reviewer && policy.Emergency.Reviewers.Contains(reviewer) && reviewer != request.Entry.Signer)
                return Result<ReviewState>.Ok(new ReviewState(due, review.Entry.LoggedAt, review.Entry.Index, reviewer, Overdue: false, Late: review.Entry.LoggedAt > due));
        return Result<ReviewState>.Ok(new ReviewState(due, null, null, null, Overdue: now > due, Late: false));
    }

    private static Problem Inconsistent(long requestIndex, string why) =>
        new(ErrorCodes.RequestInconsistent, $"request {requestIndex} is inconsistent with the log: {why}");
}
