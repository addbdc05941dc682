using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Server.Tests.Access;

/// <summary>A store's starting trust for a team: each name's key may sign what its role signs (<see cref="TeamRoles"/>), from yesterday on.</summary>
public static class TeamTrust
{
    public static TrustFile Of(params (string Name, string Role, PublicKey Key)[] members)
    {
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        return members.Aggregate(TrustFile.Empty, (trust, m) => trust.With(new TrustedKey(m.Name, m.Key, TeamRoles.Kinds[m.Role].ToHashSet(StringComparer.Ordinal), from, null)));
    }
}
