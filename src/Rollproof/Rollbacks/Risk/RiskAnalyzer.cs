using System.Text.Json;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// The security implications of rolling back from the current release to a target: component and vulnerability
/// changes from the SBOMs and the local feed, weaker cryptography, authorization surface added back, migrations that
/// cannot be undone, and the target's integrity. Pure and deterministic: the same inputs give the same findings in
/// the same order, so the assessment can be signed into the request and recomputed by an auditor.
/// </summary>
public static class RiskAnalyzer
{
    public static RiskAssessment Analyze(RiskInputs inputs)
    {
        var current = Read(inputs.Current.SbomJson);
        var target = Read(inputs.Target.SbomJson);
        var (now, then) = (inputs.Current.Predicate, inputs.Target.Predicate);
        var findings = new List<RiskFinding>();
        findings.AddRange(SbomFindings.Find(current, target, now.Version, then.Version));
        if (target is not null)
            findings.AddRange(VulnerabilityFindings.Find(current, target, inputs.Feed));
        findings.AddRange(CryptoFindings.FromSurface(now.SecuritySurface, then.SecuritySurface));
        if (target is not null)
            findings.AddRange(CryptoFindings.FromAssets(current, target, inputs.Now));
        findings.AddRange(AuthorizationFindings.Find(now.SecuritySurface, then.SecuritySurface));
        findings.AddRange(MigrationFindings.Find(now, then, inputs.BlobExists));
        findings.AddRange(IntegrityFindings.Find(inputs.Integrity, then));
        return RiskAssessment.Of(findings);
    }

    private static SbomComponents? Read(byte[]? sbom)
    {
        if (sbom is null)
            return null;
        using var json = JsonDocument.Parse(sbom);
        return SbomComponents.Read(json.RootElement.Clone());
    }
}
