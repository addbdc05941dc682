namespace Rollproof.Rollbacks.Policy;

/// <summary>
/// Whether the people a policy lists can ever meet the approvals it asks for: a quorum larger than the approvers who
/// may count would refuse every request (or every emergency) silently, and a policy whose admins can never approve a
/// change to it could never be changed, so such a policy is refused when it is proposed.
/// </summary>
internal static class PolicyQuorum
{
    /// <summary>The setting whose count cannot be met (<c>approvals.required</c>, <c>emergency.approvals</c> or <c>policyChanges.approvals</c>) and why; null when every count can be met.</summary>
    public static (string Setting, string Why)? Unmet(RollbackPolicy policy)
    {
        // Approvals by approvers and by security approvers both count (PolicyEvaluator).
        var pool = policy.Roles[RollbackRole.Approver].Union(policy.Roles[RollbackRole.SecurityApprover]).Order(StringComparer.Ordinal).ToList();
        return Short("approvals.required", policy.Approvals.Required, pool, policy.Roles[RollbackRole.Requester], policy)
            ?? (policy.Emergency.BreakGlass.Count > 0 ? Short("emergency.approvals", policy.Emergency.Approvals, pool, policy.Emergency.BreakGlass, policy) : null)
            ?? ShortOfAdmins(policy);
    }

    // A change's author never approves it, so each admin who proposes one needs that many others. A policy without
    // admins is left alone: nobody may propose a change to it, whatever the count says.
    private static (string, string)? ShortOfAdmins(RollbackPolicy policy)
    {
        var admins = policy.Roles[RollbackRole.Admin].Order(StringComparer.Ordinal).ToList();
        var required = policy.PolicyChanges.Approvals;
        return admins.Count == 0 || admins.Count - 1 >= required
            ? null
            : ("policyChanges.approvals", $"{required} other admin(s) must approve a change to this policy, but roles.admins lists {admins.Count} ({string.Join(", ", admins)}) and a change's author may not approve it, so it could never be changed; list more admins, or set policyChanges.approvals: 0 to let an admin's signed change take effect at once");
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
