using Rollproof.Signing;

namespace Rollproof.Rollbacks.Policy;

/// <summary>
/// The people a policy names are key names in the trust file; a name the trust does not know is most likely a typo,
/// and a role held by nobody who can sign would leave requests pending (or a policy unchangeable) without saying why.
/// </summary>
internal static class PolicyPeople
{
    /// <summary>Everyone the policy names (roles, break glass, reviewers) who has no unrevoked key in <paramref name="trust"/>, sorted.</summary>
    public static IReadOnlyList<string> Unknown(RollbackPolicy policy, TrustFile trust)
    {
        var known = trust.Keys.Where(k => k.RevokedAt is null).Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        return policy.Roles.Values.SelectMany(people => people)
            .Concat(policy.Emergency.BreakGlass).Concat(policy.Emergency.Reviewers)
            .Where(person => !known.Contains(person))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
