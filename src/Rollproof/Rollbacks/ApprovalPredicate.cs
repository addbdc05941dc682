using Rollproof.Ledger;
using Rollproof.Rollbacks.Policy;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// An approval or rejection, signed by the approver's own key. <paramref name="Subject"/> binds it to one statement
/// (a rollback request, or a policy change) by log index and envelope digest, so it cannot be replayed onto another;
/// it may carry conditions and stop counting at <paramref name="ExpiresAt"/>.
/// </summary>
public sealed record ApprovalPredicate(StatementRef Subject, ApprovalDecision Decision, IReadOnlyList<string> Conditions, DateTimeOffset? ExpiresAt, string? Comment);
