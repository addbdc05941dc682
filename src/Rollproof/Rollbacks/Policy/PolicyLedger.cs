using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Rollbacks.Policy;

/// <summary>The policy in force for an environment, the statement that set it, and changes still waiting for approval.</summary>
public sealed record EffectivePolicy(RollbackPolicy Policy, StatementRef Ref, string Author, IReadOnlyList<PendingPolicyChange> Pending);

/// <summary>A proposed change and the admins who have approved it so far.</summary>
public sealed record PendingPolicyChange(StatementRef Ref, string Author, IReadOnlyList<string> ApprovedBy, int Required);

/// <summary>
/// Policies as logged statements. An environment's first policy is set by a key the trust file lets sign policies; a
/// later one is a proposed change that must name the policy it replaces, come from an admin of that policy, and be
/// approved by as many other admins of it as it requires before it takes effect. The log alone decides which is in
/// force: anyone replaying it reaches the same answer.
/// </summary>
public static class PolicyLedger
{
    public static async Task<Result<LoggedStatement>> ProposeAsync(ReleaseStore store, string yaml, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var parsed = PolicyYaml.Parse(yaml);
        if (!parsed.IsOk)
            return parsed.Problem;
        var environment = parsed.Value.Environment;
        var ledger = new StatementLedger(store);
        var current = Read(ledger, store, environment);
        if (!current.IsOk && current.Problem.Code != ErrorCodes.PolicyMissing)
            return current.Problem;
        StatementRef? replaces = null;
        if (current.IsOk)
        {
            var author = SignerName(store, signer);
            if (author is null || !current.Value.Policy.Holds(author, RollbackRole.Admin))
                return Result<LoggedStatement>.Fail(ErrorCodes.RoleNotHeld, $"only an admin of the policy in force for {environment} (log index {current.Value.Ref.LogIndex}) may propose a change; {author ?? "this key"} is not one");
            replaces = current.Value.Ref;
        }
        var predicate = new PolicyPredicate(environment, yaml, replaces);
        var subject = new Subject($"policy:{environment}", new Dictionary<string, string> { ["sha256"] = Storage.Sha256Digest.Of(System.Text.Encoding.UTF8.GetBytes(yaml)).Hex });
        var statement = new InTotoStatement([subject], StatementKinds.PredicateType(StatementKinds.Policy), PredicateJson.Write(predicate));
        return await ledger.AppendAsync(statement, signer, clock, cancellation);
    }

    /// <summary>The policy in force for <paramref name="environment"/>, replaying its history from the log.</summary>
    public static Result<EffectivePolicy> Read(StatementLedger ledger, ReleaseStore store, string environment)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var opened = ledger.OpenIndex();
        if (!opened.IsOk)
            return opened.Problem;
        using var index = opened.Value;
        var size = index.IndexedSize;
        EffectivePolicy? effective = null;
        var pending = new List<PendingPolicyChange>();
        foreach (var logIndex in index.Statements(StatementKinds.Policy, environment))
        {
            var logged = LoggedPredicate.Read<PolicyPredicate>(store.Log, trust.Value, logIndex, size, StatementKinds.Policy);
            if (!logged.IsOk)
                return logged.Problem;
            var policy = PolicyYaml.Parse(logged.Value.Predicate.Yaml);
            if (!policy.IsOk || logged.Value.Entry.Signer is not { } author || policy.Value.Environment != environment)
                continue; // unreadable or unsigned by a trusted key: never in force
            if (effective is null)
            {
                if (logged.Value.Predicate.Replaces is null && Authorized(trust.Value, logged.Value.Entry, StatementKinds.Policy))
                    effective = new EffectivePolicy(policy.Value, logged.Value.Ref, author, []);
                continue;
            }
            if (logged.Value.Predicate.Replaces != effective.Ref || !effective.Policy.Holds(author, RollbackRole.Admin) || !Authorized(trust.Value, logged.Value.Entry, StatementKinds.Policy))
                continue; // a change must build on the policy in force, proposed by one of its admins
            var approvers = Approvers(index, store, trust.Value, logged.Value, effective.Policy, size);
            if (!approvers.IsOk)
                return approvers.Problem;
            var change = new PendingPolicyChange(logged.Value.Ref, author, approvers.Value, effective.Policy.PolicyChanges.Approvals);
            if (approvers.Value.Count >= change.Required)
            {
                pending.Clear(); // changes to the old policy can no longer take effect
                effective = new EffectivePolicy(policy.Value, logged.Value.Ref, author, []);
            }
            else
            {
                pending.Add(change);
            }
        }
        return effective is null
            ? Result<EffectivePolicy>.Fail(ErrorCodes.PolicyMissing, $"{environment} has no rollback policy in the log; log one with 'rollproof policy set'")
            : Result<EffectivePolicy>.Ok(effective with { Pending = pending });
    }

    // Distinct admins of the policy in force, other than the change's author, whose approval is bound to the change.
    private static Result<IReadOnlyList<string>> Approvers(ILedgerIndex index, ReleaseStore store, TrustFile trust, LoggedPredicate<PolicyPredicate> change, RollbackPolicy current, long size)
    {
        var approvers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var approvalIndex in index.Referring(change.Entry.Index, StatementKinds.Approval))
        {
            var approval = LoggedPredicate.Read<ApprovalPredicate>(store.Log, trust, approvalIndex, size, StatementKinds.Approval);
            if (!approval.IsOk)
                return approval.Problem;
            if (approval.Value.Entry.Signer is { } admin && admin != change.Entry.Signer && current.Holds(admin, RollbackRole.Admin) && Authorized(trust, approval.Value.Entry, StatementKinds.Approval)
                && approval.Value.Predicate.Subject == change.Ref && approval.Value.Predicate.Decision == ApprovalDecision.Approve)
                approvers.Add(admin);
        }
        return Result<IReadOnlyList<string>>.Ok([.. approvers]);
    }

    // The trust file lets the signer's key sign this kind at the time the log gives the entry.
    private static bool Authorized(TrustFile trust, LedgerEntry entry, string kind) =>
        entry.SignerKeyId is { } keyId && entry.LoggedAt is { } loggedAt && trust.Authorize(keyId, kind, loggedAt).IsOk;

    private static string? SignerName(ReleaseStore store, IStatementSigner signer)
    {
        var trust = store.ReadTrust();
        return trust.IsOk ? trust.Value.NameOf(signer.PublicKey.KeyId) : null;
    }
}
