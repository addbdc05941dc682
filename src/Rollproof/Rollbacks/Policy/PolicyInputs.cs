using Rollproof.Ledger;
using Rollproof.Rollbacks.Risk;
using Rollproof.Trust;

namespace Rollproof.Rollbacks.Policy;

/// <summary>
/// What the policy judges about a request, every time taken from the log (the request's and target's logged times),
/// and the risk analysis it carries.
/// </summary>
public sealed record RequestFacts(
    StatementRef Request,
    string Requester,
    DateTimeOffset RequestedAt,
    bool Emergency,
    string Ticket,
    bool HasTestResults,
    DateTimeOffset TargetReleasedAt,
    RiskLevel Risk,
    bool TargetIntegrityFailed,
    bool SecurityRelevantFindings,
    bool IrreversibleMigrations);

public enum ApprovalDecision
{
    Approve,
    Reject,
}

/// <summary>
/// An approval or rejection as logged: by whom (the trusted key that signed it), when, which request it is bound to
/// (index and digest), and until when it holds.
/// </summary>
public sealed record ApprovalFacts(long LogIndex, string Approver, DateTimeOffset LoggedAt, StatementRef BoundTo, ApprovalDecision Decision, DateTimeOffset? ExpiresAt, IReadOnlyList<string> Conditions)
{
    /// <summary>A counted approval statement as the policy judges it: its trusted signer's name, at its logged time.</summary>
    public static ApprovalFacts Of(LoggedPredicate<ApprovalPredicate> approval) =>
        new(approval.Entry.Index, approval.Entry.Signer!, approval.Entry.LoggedAt!.Value, approval.Predicate.Subject, approval.Predicate.Decision, approval.Predicate.ExpiresAt, approval.Predicate.Conditions);
}
