namespace Rollproof.Rollbacks.Policy;

public enum DecisionStatus
{
    /// <summary>Every rule is met: the rollback may run.</summary>
    Approved,

    /// <summary>Nothing is wrong, but approvals are still missing.</summary>
    Pending,

    /// <summary>An approver rejected the request.</summary>
    Rejected,

    /// <summary>The request itself breaks a rule that no approval can cure (role, evidence, target integrity or age).</summary>
    Refused,
}

/// <summary>One rule of the policy and whether the request meets it, with the detail a person needs to act on it.</summary>
public sealed record RuleOutcome(string Rule, bool Met, string Detail);

/// <summary>
/// The policy's decision on a request: its status, every rule checked (met or not), the approvers that counted, the
/// approvals that did not and why, whether glass was broken, and when the after-the-fact review falls due.
/// </summary>
public sealed record PolicyDecision(
    DecisionStatus Status,
    IReadOnlyList<RuleOutcome> Rules,
    IReadOnlyList<string> CountedApprovers,
    IReadOnlyList<string> IgnoredApprovals,
    IReadOnlyList<string> Conditions,
    bool BreakGlass,
    DateTimeOffset? ReviewDue)
{
    public IEnumerable<RuleOutcome> Unmet => Rules.Where(r => !r.Met);

    /// <summary>How many distinct approvers the policy asks of this request (the emergency's own count when glass is broken).</summary>
    public int RequiredApprovals { get; init; }
}
