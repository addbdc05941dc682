using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Rollbacks.Policy;

/// <summary>The policy in force for an environment, the statement that set it, and changes still waiting for approval.</summary>
public sealed record EffectivePolicy(RollbackPolicy Policy, StatementRef Ref, string Author, IReadOnlyList<PendingPolicyChange> Pending);

/// <summary>A proposed change and the admins who have approved it so far.</summary>
public sealed record PendingPolicyChange(StatementRef Ref, string Author, IReadOnlyList<string> ApprovedBy, int Required)
{
    /// <summary>How many more approvals it needs.</summary>
    public int Needed => Math.Max(0, Required - ApprovedBy.Count);
}

/// <summary>
/// Where a logged policy statement stands now: in force, or pending with the approvals it still needs and the admins
/// who may still give them (the policy in force's admins, less its author and those who approved already).
/// </summary>
public sealed record PolicyStanding(bool InForce, int Needed, IReadOnlyList<string> MayApprove, StatementRef Governing);

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
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var proposed = MayPropose(store, yaml, trust.Value.NameOf(signer.PublicKey.KeyId));
        if (!proposed.IsOk)
            return proposed.Problem;
        var (environment, replaces) = proposed.Value;
        var ledger = new StatementLedger(store);
        var predicate = new PolicyPredicate(environment, yaml, replaces);
        var subject = new Subject($"policy:{environment}", new Dictionary<string, string> { ["sha256"] = Storage.Sha256Digest.Of(System.Text.Encoding.UTF8.GetBytes(yaml)).Hex });
        var statement = new InTotoStatement([subject], StatementKinds.PredicateType(StatementKinds.Policy), PredicateJson.Write(predicate));
        return await ledger.AppendAsync(statement, signer, clock, cancellation);
    }

    /// <summary>The policy in force for <paramref name="environment"/> now, replaying its history from the log.</summary>
    /// <summary>
    /// Whether <paramref name="author"/> (a trust-file name) may propose <paramref name="yaml"/>: a valid policy naming
    /// only trusted people, by an admin of the policy in force for its environment if there is one. Its environment and
    /// the policy it replaces.
    /// </summary>
    public static Result<(string Environment, StatementRef? Replaces)> MayPropose(ReleaseStore store, string yaml, string? author)
    {
        var parsed = PolicyYaml.ParseProposed(yaml);
        if (!parsed.IsOk)
            return parsed.Problem;
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        if (PolicyPeople.Unknown(parsed.Value, trust.Value) is { Count: > 0 } unknown)
            return Result<(string, StatementRef?)>.Fail(ErrorCodes.PolicyInvalid, $"the policy names {string.Join(", ", unknown)}, who hold no key in the store's trust (or only a revoked one); add them first with 'rollproof trust add', or correct the names");
        var environment = parsed.Value.Environment;
        var current = Read(new StatementLedger(store), store, environment);
        if (!current.IsOk && current.Problem.Code != ErrorCodes.PolicyMissing)
            return current.Problem;
        if (!current.IsOk)
            return Result<(string, StatementRef?)>.Ok((environment, null));
        if (author is null || !current.Value.Policy.Holds(author, RollbackRole.Admin))
            return Result<(string, StatementRef?)>.Fail(ErrorCodes.RoleNotHeld, $"only an admin of the policy in force for {environment} (log index {current.Value.Ref.LogIndex}) may propose a change; {author ?? "this key"} is not one");
        return Result<(string, StatementRef?)>.Ok((environment, current.Value.Ref));
    }

    public static Result<EffectivePolicy> Read(StatementLedger ledger, ReleaseStore store, string environment)
    {
        var view = LedgerView.Open(store);
        return view.IsOk ? InForce(view.Value, environment) : view.Problem;
    }

    /// <summary>
    /// The policy in force for <paramref name="environment"/> just before log index <paramref name="before"/> (default:
    /// the end of the view), replaying the policies and approvals logged before it, read from the log itself.
    /// </summary>
    public static Result<EffectivePolicy> InForce(LedgerView view, string environment, long? before = null)
    {
        var statements = view.Statements<PolicyPredicate>(StatementKinds.Policy, before, environment);
        if (!statements.IsOk)
            return statements.Problem;
        EffectivePolicy? effective = null;
        var pending = new List<PendingPolicyChange>();
        foreach (var logged in statements.Value.Counted)
        {
            if (logged.Predicate.Environment != environment)
                continue;
            // Signed by a key allowed to sign policies, yet unreadable or about another environment than it claims:
            // what it would have changed cannot be told, so nothing is decided under it.
            var policy = PolicyYaml.Parse(logged.Predicate.Yaml);
            if (!policy.IsOk)
                return policy.Problem with { Message = $"log entry {logged.Entry.Index} (policy for {environment}): {policy.Problem.Message}" };
            if (policy.Value.Environment != environment)
                return Result<EffectivePolicy>.Fail(ErrorCodes.PolicyInvalid, $"log entry {logged.Entry.Index} says it is a policy for {environment} but its YAML is for {policy.Value.Environment}");
            var author = logged.Entry.Signer!;
            if (effective is null)
            {
                if (logged.Predicate.Replaces is null)
                    effective = new EffectivePolicy(policy.Value, logged.Ref, author, []);
                continue;
            }
            if (logged.Predicate.Replaces != effective.Ref || !effective.Policy.Holds(author, RollbackRole.Admin))
                continue; // a change must build on the policy in force, proposed by one of its admins
            var approvers = Approvers(view, logged, effective.Policy, before);
            if (!approvers.IsOk)
                return approvers.Problem;
            var change = new PendingPolicyChange(logged.Ref, author, approvers.Value, effective.Policy.PolicyChanges.Approvals);
            if (approvers.Value.Count >= change.Required)
            {
                pending.Clear(); // changes to the old policy can no longer take effect
                effective = new EffectivePolicy(policy.Value, logged.Ref, author, []);
            }
            else
            {
                pending.Add(change);
            }
        }
        return effective is null
            ? Result<EffectivePolicy>.Fail(ErrorCodes.PolicyMissing, $"{environment} has no rollback policy in the log{(before is { } b ? $" before log index {b}" : "")}; log one with 'rollproof policy set'")
            : Result<EffectivePolicy>.Ok(effective with { Pending = pending });
    }

    // Distinct admins of the policy in force, other than the change's author, whose approval is bound to the change.
    private static Result<IReadOnlyList<string>> Approvers(LedgerView view, LoggedPredicate<PolicyPredicate> change, RollbackPolicy current, long? before)
    {
        var approvals = view.Referring<ApprovalPredicate>(change.Ref, StatementKinds.Approval, before);
        if (!approvals.IsOk)
            return approvals.Problem;
        var approvers = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var approval in approvals.Value.Counted)
            if (approval.Entry.Signer is { } admin && admin != change.Entry.Signer && current.Holds(admin, RollbackRole.Admin)
                && approval.Predicate.Subject == change.Ref && approval.Predicate.Decision == ApprovalDecision.Approve)
                approvers.Add(admin);
        return Result<IReadOnlyList<string>>.Ok([.. approvers]);
    }

    /// <summary>Where the policy statement <paramref name="logged"/> stands now, replayed from the log.</summary>
    public static Result<PolicyStanding> StandingOf(ReleaseStore store, string environment, StatementRef logged)
    {
        var view = LedgerView.Open(store);
        var effective = view.IsOk ? InForce(view.Value, environment) : view.Problem;
        if (!effective.IsOk)
            return effective.Problem;
        var e = effective.Value;
        if (e.Ref == logged)
            return Result<PolicyStanding>.Ok(new PolicyStanding(true, 0, [], e.Ref));
        if (e.Pending.FirstOrDefault(p => p.Ref == logged) is not { } pending)
            return Result<PolicyStanding>.Fail(ErrorCodes.PolicyMissing, $"log entry {logged.LogIndex} is neither the policy in force for {environment} (log index {e.Ref.LogIndex}) nor a change waiting for approval");
        var mayApprove = e.Policy.Roles[RollbackRole.Admin].Where(a => a != pending.Author && !pending.ApprovedBy.Contains(a)).Order(StringComparer.Ordinal).ToList();
        return Result<PolicyStanding>.Ok(new PolicyStanding(false, pending.Needed, mayApprove, e.Ref));
    }
}
