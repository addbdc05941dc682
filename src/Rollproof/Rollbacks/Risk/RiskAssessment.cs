using System.Text.Json.Serialization;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// The security implications of rolling back from the current release to a target: every finding in a fixed order,
/// the risk level they add up to, and whether the target failed its integrity checks (then the rollback is refused,
/// whatever the approvals). Carried, as is, in the signed rollback request.
/// </summary>
public sealed record RiskAssessment(RiskLevel Level, bool IntegrityFailed, IReadOnlyList<RiskFinding> Findings)
{
    private static readonly HashSet<string> SecurityCategories = new(["vulnerability", "crypto", "authorization", "integrity"], StringComparer.Ordinal);

    public static RiskAssessment Of(IEnumerable<RiskFinding> findings)
    {
        var sorted = findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ThenBy(f => f.Message, StringComparer.Ordinal).ToList();
        var highest = sorted.Count == 0 ? Severity.Info : sorted[0].Severity;
        var level = highest switch
        {
            Severity.Critical => RiskLevel.Critical,
            Severity.High => RiskLevel.High,
            Severity.Medium => RiskLevel.Medium,
            _ => RiskLevel.Low,
        };
        return new RiskAssessment(level, sorted.Any(f => f.Category == "integrity" && f.Severity == Severity.Critical), sorted);
    }

    // The derived properties below are never written: a signed copy cannot contradict its own findings.

    /// <summary>Findings a security approver should see: vulnerabilities, crypto, authorization and integrity, from medium up.</summary>
    [JsonIgnore]
    public bool SecurityRelevant => Findings.Any(f => SecurityCategories.Contains(f.Category) && f.Severity >= Severity.Medium);

    [JsonIgnore]
    public bool IrreversibleMigrations => Findings.Any(f => f.Code == RiskCodes.MigrationIrreversible);

    /// <summary>The vulnerability IDs (and their aliases, such as CVE numbers) the rollback brings back.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> ReintroducedVulnerabilities =>
        [.. Findings.Where(f => f.Code == RiskCodes.VulnerabilityReintroduced).Select(f => f.Evidence["id"] + (f.Evidence.TryGetValue("aliases", out var aliases) && aliases.Length > 0 ? $" ({aliases})" : ""))];
}
