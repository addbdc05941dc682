using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// Signs and logs approvals, rejections and reviews. Roles are checked before anything is logged (least privilege):
/// a request is decided on by an approver or security approver of the policy it was made under, never by its
/// requester (unless that policy allows it); a policy change only by another admin of the policy in force; an
/// emergency reviewed by one of the policy's reviewers other than the requester; an operator's runbook amendment by an
/// approver of the request's policy other than its amender.
/// </summary>
public static class ApprovalLedger
{
    public static async Task<Result<LoggedStatement>> DecideOnRequestAsync(ReleaseStore store, long requestIndex, ApprovalDecision decision, IReadOnlyList<string> conditions, DateTimeOffset? expiresAt, string? comment, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var subject = MayDecideOnRequest(store, requestIndex, SignerName(store, signer));
        return subject.IsOk ? await ApproveAsync(new StatementLedger(store), subject.Value, decision, conditions, expiresAt, comment, signer, clock, cancellation) : subject.Problem;
    }

    /// <summary>The request at <paramref name="requestIndex"/>, if <paramref name="approver"/> (a trust-file name) may decide on it.</summary>
    public static Result<StatementRef> MayDecideOnRequest(ReleaseStore store, long requestIndex, string? approver)
    {
        var request = ReadRequest(store, requestIndex);
        if (!request.IsOk)
            return request.Problem;
        var (logged, policy) = request.Value;
        if (approver is null || !(policy.Holds(approver, RollbackRole.Approver) || policy.Holds(approver, RollbackRole.SecurityApprover)))
            return Result<StatementRef>.Fail(ErrorCodes.RoleNotHeld, $"{approver ?? "this key"} is not an approver in {policy.Environment}");
        if (approver == logged.Entry.Signer && !policy.Approvals.AllowSelfApproval)
            return Result<StatementRef>.Fail(ErrorCodes.RoleNotHeld, $"{approver} requested this rollback and may not approve or reject it (no self-approval)");
        return Result<StatementRef>.Ok(logged.Ref);
    }

    /// <summary>
    /// An approval or rejection of an operator's amendment of the request's runbook (<see cref="Runbooks.RunbookAmendments"/>),
    /// bound to the amendment by log index and digest: by an approver or security approver of the request's policy,
    /// never the amendment's own signer, whatever the policy says of self-approval.
    /// </summary>
    public static async Task<Result<LoggedStatement>> DecideOnAmendmentAsync(ReleaseStore store, long requestIndex, long amendmentIndex, ApprovalDecision decision, IReadOnlyList<string> conditions, DateTimeOffset? expiresAt, string? comment, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var subject = MayDecideOnAmendment(store, requestIndex, amendmentIndex, SignerName(store, signer));
        return subject.IsOk ? await ApproveAsync(new StatementLedger(store), subject.Value, decision, conditions, expiresAt, comment, signer, clock, cancellation) : subject.Problem;
    }

    /// <summary>The amendment at <paramref name="amendmentIndex"/> of the request at <paramref name="requestIndex"/>, if <paramref name="approver"/> may decide on it.</summary>
    public static Result<StatementRef> MayDecideOnAmendment(ReleaseStore store, long requestIndex, long amendmentIndex, string? approver)
    {
        var request = ReadRequest(store, requestIndex);
        if (!request.IsOk)
            return request.Problem;
        var (logged, policy) = request.Value;
        var amendment = new StatementLedger(store).Read<Runbooks.AmendmentPredicate>(amendmentIndex, StatementKinds.RollbackAmendment);
        if (!amendment.IsOk)
            return amendment.Problem;
        if (amendment.Value.Predicate.Request != logged.Ref)
            return Result<StatementRef>.Fail(ErrorCodes.RequestInvalid, $"log index {amendmentIndex} is an amendment of request {amendment.Value.Predicate.Request.LogIndex}, not an amendment of request {requestIndex}");
        if (approver is null || !(policy.Holds(approver, RollbackRole.Approver) || policy.Holds(approver, RollbackRole.SecurityApprover)))
            return Result<StatementRef>.Fail(ErrorCodes.RoleNotHeld, $"{approver ?? "this key"} is not an approver in {policy.Environment}");
        if (approver == amendment.Value.Entry.Signer)
            return Result<StatementRef>.Fail(ErrorCodes.RoleNotHeld, $"{approver} amended this runbook and may not approve or reject the amendment (no self-approval)");
        return Result<StatementRef>.Ok(amendment.Value.Ref);
    }

    private static async Task<Result<LoggedStatement>> ApproveAsync(StatementLedger ledger, StatementRef subject, ApprovalDecision decision, IReadOnlyList<string> conditions, DateTimeOffset? expiresAt, string? comment, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation)
    {
        if (expiresAt <= clock.GetUtcNow())
            return Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, $"the approval would expire at {expiresAt:O}, which has passed");
        var predicate = new ApprovalPredicate(subject, decision, conditions, expiresAt, comment);
        return await AppendAsync(ledger, subject, StatementKinds.Approval, PredicateJson.Write(predicate), signer, clock, cancellation);
    }

    public static async Task<Result<LoggedStatement>> ReviewAsync(ReleaseStore store, long requestIndex, string outcome, string comment, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        if (!ReviewPredicate.Outcomes.Contains(outcome))
            return Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, $"outcome '{outcome}' is not one of {string.Join(", ", ReviewPredicate.Outcomes)}");
        var subject = MayReview(store, requestIndex, SignerName(store, signer));
        if (!subject.IsOk)
            return subject.Problem;
        var predicate = new ReviewPredicate(subject.Value, outcome, comment);
        return await AppendAsync(new StatementLedger(store), subject.Value, StatementKinds.Review, PredicateJson.Write(predicate), signer, clock, cancellation);
    }

    /// <summary>The emergency request at <paramref name="requestIndex"/>, if <paramref name="reviewer"/> may review it.</summary>
    public static Result<StatementRef> MayReview(ReleaseStore store, long requestIndex, string? reviewer)
    {
        var request = ReadRequest(store, requestIndex);
        if (!request.IsOk)
            return request.Problem;
        var (logged, policy) = request.Value;
        if (!logged.Predicate.Emergency)
            return Result<StatementRef>.Fail(ErrorCodes.RequestInvalid, $"request {requestIndex} was not an emergency: it needs no after-the-fact review");
        if (reviewer is null || !policy.Emergency.Reviewers.Contains(reviewer) || reviewer == logged.Entry.Signer)
            return Result<StatementRef>.Fail(ErrorCodes.RoleNotHeld, $"{reviewer ?? "this key"} may not review emergencies in {policy.Environment} (reviewers: {string.Join(", ", policy.Emergency.Reviewers)}; never the requester)");
        return Result<StatementRef>.Ok(logged.Ref);
    }

    /// <summary>The name the store's trust gives the signer's key; null when it names none (or the trust cannot be read: the append refuses then).</summary>
    private static string? SignerName(ReleaseStore store, IStatementSigner signer) =>
        store.ReadTrust() is { IsOk: true } trust ? trust.Value.NameOf(signer.PublicKey.KeyId) : null;

    // The request and the policy it was made under.
    private static Result<(LoggedPredicate<RollbackRequestPredicate> Request, RollbackPolicy Policy)> ReadRequest(ReleaseStore store, long requestIndex)
    {
        var ledger = new StatementLedger(store);
        var request = ledger.Read<RollbackRequestPredicate>(requestIndex, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem;
        var policy = ledger.Read<PolicyPredicate>(request.Value.Predicate.Policy.LogIndex, StatementKinds.Policy);
        if (!policy.IsOk)
            return policy.Problem;
        var parsed = PolicyYaml.Parse(policy.Value.Predicate.Yaml);
        if (!parsed.IsOk)
            return parsed.Problem;
        return Result<(LoggedPredicate<RollbackRequestPredicate>, RollbackPolicy)>.Ok((request.Value, parsed.Value));
    }

    public static async Task<Result<LoggedStatement>> DecideOnPolicyChangeAsync(ReleaseStore store, long changeIndex, ApprovalDecision decision, string? comment, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var subject = MayDecideOnPolicyChange(store, changeIndex, SignerName(store, signer));
        return subject.IsOk
            ? await AppendAsync(new StatementLedger(store), subject.Value, StatementKinds.Approval, PredicateJson.Write(new ApprovalPredicate(subject.Value, decision, [], null, comment)), signer, clock, cancellation)
            : subject.Problem;
    }

    /// <summary>The policy change at <paramref name="changeIndex"/>, if <paramref name="approver"/> may decide on it.</summary>
    public static Result<StatementRef> MayDecideOnPolicyChange(ReleaseStore store, long changeIndex, string? approver)
    {
        var ledger = new StatementLedger(store);
        var change = ledger.Read<PolicyPredicate>(changeIndex, StatementKinds.Policy);
        if (!change.IsOk)
            return change.Problem;
        var current = PolicyLedger.Read(ledger, store, change.Value.Predicate.Environment);
        if (!current.IsOk)
            return current.Problem;
        if (change.Value.Predicate.Replaces != current.Value.Ref)
            return Result<StatementRef>.Fail(ErrorCodes.InputMalformed, $"log entry {changeIndex} does not change the policy in force for {change.Value.Predicate.Environment} (log index {current.Value.Ref.LogIndex})");
        if (approver is null || !current.Value.Policy.Holds(approver, RollbackRole.Admin))
            return Result<StatementRef>.Fail(ErrorCodes.RoleNotHeld, $"only an admin of the policy in force for {change.Value.Predicate.Environment} may decide on a change to it; {approver ?? "this key"} is not one");
        if (approver == change.Value.Entry.Signer)
            return Result<StatementRef>.Fail(ErrorCodes.RoleNotHeld, $"{approver} proposed this change and may not approve it");
        return Result<StatementRef>.Ok(change.Value.Ref);
    }

    private static Task<Result<LoggedStatement>> AppendAsync(StatementLedger ledger, StatementRef subject, string kind, System.Text.Json.JsonElement predicate, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation)
    {
        var statement = new InTotoStatement(
            [StatementSubjects.For("statement:", subject)],
            StatementKinds.PredicateType(kind),
            predicate);
        return ledger.AppendAsync(statement, signer, clock, cancellation);
    }
}
