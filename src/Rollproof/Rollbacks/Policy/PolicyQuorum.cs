namespace Rollproof.Rollbacks.Policy;

/// <summary>
/// Whether the people a policy lists can ever meet the approvals it asks for: a quorum larger than the approvers who
/// may count would refuse every request (or every emergency) silently, so such a policy is refused when it is proposed.
/// </summary>
internal static class PolicyQuorum
{
    /// <summary>The setting whose count cannot be met (<c>approvals.required</c> or <c>emergency.approvals</c>) and why; null when every count can be met.</summary>
    public static (string Setting, string Why)? Unmet(RollbackPolicy policy)
    {
        // Approvals by approvers and by security approvers both count (PolicyEvaluator).
        var pool = policy.Roles[RollbackRole.Approver].Union(policy.Roles[RollbackRole.SecurityApprover]).Order(StringComparer.Ordinal).ToList();
        return Short("approvals.required", policy.Approvals.Required, pool, policy.Roles[RollbackRole.Requester], policy)
            ?? (policy.Emergency.BreakGlass.Count > 0 ? Short("emergency.approvals", policy.Emergency.Approvals, pool, policy.Emergency.BreakGlass, policy) : null);
    }

    // Without self-approval, a request's own author does not count, so each requester must leave enough others.
    private static (string, string)? Short(string setting, int required, IReadOnlyList<string> pool, IReadOnlySet<string> requesters, RollbackPolicy policy)
    {
        var listed = $"roles.approvers and roles.securityApprovers list {pool.Count} ({(pool.Count == 0 ? "nobody" : string.Join(", ", pool))})";
        if (pool.Count < required)
            return (setting, $"{required} approvals can never be met: {listed}");
        if (!policy.Approvals.AllowSelfApproval && requesters.FirstOrDefault(r => pool.Contains(r) && pool.Count - 1 < required) is { } author)
            return (setting, $"{required} approvals can never be met for a request by {author}, who may not approve their own: {listed}");
        return null;
    }
}
