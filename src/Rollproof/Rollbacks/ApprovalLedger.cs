using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;

namespace Rollproof.Rollbacks;

/// <summary>
/// Signs and logs approvals and rejections. Roles are checked before anything is logged (least privilege): a policy
/// change is approved only by another admin of the policy in force.
/// </summary>
public static class ApprovalLedger
{
    public static async Task<Result<LoggedStatement>> DecideOnPolicyChangeAsync(ReleaseStore store, long changeIndex, ApprovalDecision decision, string? comment, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var ledger = new StatementLedger(store);
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var checkpoint = store.Log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var change = LoggedPredicate.Read<PolicyPredicate>(store.Log, trust.Value, changeIndex, checkpoint.Value.Checkpoint.Size, StatementKinds.Policy);
        if (!change.IsOk)
            return change.Problem;
        var current = PolicyLedger.Read(ledger, store, change.Value.Predicate.Environment);
        if (!current.IsOk)
            return current.Problem;
        if (change.Value.Predicate.Replaces != current.Value.Ref)
            return Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, $"log entry {changeIndex} does not change the policy in force for {change.Value.Predicate.Environment} (log index {current.Value.Ref.LogIndex})");
        var approver = trust.Value.Keys.FirstOrDefault(k => k.Key.KeyId == signer.PublicKey.KeyId)?.Name;
        if (approver is null || !current.Value.Policy.Holds(approver, RollbackRole.Admin))
            return Result<LoggedStatement>.Fail(ErrorCodes.RoleNotHeld, $"only an admin of the policy in force for {change.Value.Predicate.Environment} may decide on a change to it; {approver ?? "this key"} is not one");
        if (approver == change.Value.Entry.Signer)
            return Result<LoggedStatement>.Fail(ErrorCodes.RoleNotHeld, $"{approver} proposed this change and may not approve it");
        return await AppendAsync(ledger, change.Value.Ref, new ApprovalPredicate(change.Value.Ref, decision, [], null, comment), signer, clock, cancellation);
    }

    private static Task<Result<LoggedStatement>> AppendAsync(StatementLedger ledger, StatementRef subject, ApprovalPredicate predicate, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation)
    {
        var statement = new InTotoStatement(
            [new Subject($"statement:{subject.LogIndex}", new Dictionary<string, string> { ["sha256"] = subject.Digest["sha256:".Length..] })],
            StatementKinds.PredicateType(StatementKinds.Approval),
            PredicateJson.Write(predicate));
        return ledger.AppendAsync(statement, signer, clock, cancellation);
    }
}
