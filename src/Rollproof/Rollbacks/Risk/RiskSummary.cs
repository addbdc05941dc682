namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// What a signed rollback request says of its risk: the level and the facts the policy acts on, the most severe
/// findings, and the digest of the full assessment kept in the artifact store. A large SBOM diff has thousands of
/// findings, more than a log entry holds; the digest binds them all to the signature all the same.
/// </summary>
public sealed record RiskSummary(
    RiskLevel Level,
    bool IntegrityFailed,
    bool SecurityRelevant,
    bool IrreversibleMigrations,
    int FindingCount,
    IReadOnlyList<RiskFinding> TopFindings,
    IReadOnlyList<string> ReintroducedVulnerabilities,
    string AssessmentDigest)
{
    /// <summary>How many findings, and reintroduced vulnerabilities, the statement itself carries.</summary>
    public const int Shown = 20;

    public static RiskSummary Of(RiskAssessment assessment, string assessmentDigest) =>
        new(assessment.Level, assessment.IntegrityFailed, assessment.SecurityRelevant, assessment.IrreversibleMigrations, assessment.Findings.Count,
            [.. assessment.Findings.Take(Shown)], [.. assessment.ReintroducedVulnerabilities.Take(Shown)], assessmentDigest);
}
