using Rollproof.Releases;

namespace Rollproof.Rollbacks.Risk;

/// <summary>Routes, roles and scopes the target exposes that the current release does not: surface the rollback adds back.</summary>
internal static class AuthorizationFindings
{
    public static IEnumerable<RiskFinding> Find(SecuritySurface current, SecuritySurface target) =>
        Added(current.Routes, target.Routes, RiskCodes.RouteAdded, Severity.Medium, "route")
            .Concat(Added(current.Roles, target.Roles, RiskCodes.RoleAdded, Severity.High, "role"))
            .Concat(Added(current.Scopes, target.Scopes, RiskCodes.ScopeAdded, Severity.High, "scope"));

    private static IEnumerable<RiskFinding> Added(IReadOnlyList<string> current, IReadOnlyList<string> target, string code, Severity severity, string what)
    {
        var before = current.ToHashSet(StringComparer.Ordinal);
        return target.Where(t => !before.Contains(t)).Distinct(StringComparer.Ordinal)
            .Select(t => RiskFinding.Of(code, severity, $"the target exposes {what} '{t}', which the current release removed", (what, t)));
    }
}
