using System.Text.Json;
using Rollproof.Formats;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// Whether a request states the risk the analysis gives: its summary is that of the assessment it names by digest,
/// that assessment's level and integrity verdict are what its own findings give, and its findings are the ones
/// computed again (the target's integrity aside, which is judged at the time of the decision and may change
/// legitimately). Pure, so live decisions and the offline evidence verifier compare the same way.
/// </summary>
public static class StatedRisk
{
    private const string IntegrityCategory = "integrity";

    /// <summary>Null when <paramref name="stated"/> is what <paramref name="computed"/> gives; else why not.</summary>
    /// <param name="assessmentBlob">The bytes of the assessment the summary names by digest.</param>
    public static string? WhyNot(RiskSummary stated, byte[] assessmentBlob, RiskAssessment computed)
    {
        RiskAssessment? assessment;
        try
        {
            assessment = JsonSerializer.Deserialize<RiskAssessment>(assessmentBlob, PredicateJson.Options);
        }
        catch (JsonException e)
        {
            return $"the assessment it names is not one: {e.Message}";
        }
        if (assessment is null || !Same(RiskSummary.Of(assessment, stated.AssessmentDigest), stated))
            return "its risk summary is not the summary of the assessment it names";
        // The level and integrity verdict are stored beside the findings: they must be what those findings give.
        var own = RiskAssessment.Of(assessment.Findings);
        if (own.Level != assessment.Level || own.IntegrityFailed != assessment.IntegrityFailed)
            return $"its assessment states the risk is {Name(assessment.Level)}{(assessment.IntegrityFailed ? " with integrity failed" : "")}, but its own findings make it {Name(own.Level)}{(own.IntegrityFailed ? " with integrity failed" : "")}";
        var statedFindings = assessment.Findings.Where(f => f.Category != IntegrityCategory).ToList();
        var computedFindings = computed.Findings.Where(f => f.Category != IntegrityCategory).ToList();
        if (statedFindings.SequenceEqual(computedFindings, SameFinding.Instance))
            return null;
        var missing = computedFindings.FirstOrDefault(f => !statedFindings.Contains(f, SameFinding.Instance));
        return missing is not null
            ? $"it leaves out {missing.Code} ({missing.Severity.ToString().ToLowerInvariant()}): {missing.Message}"
            : "its findings are not what the signed releases and its recorded feed give";
    }

    // Compared as canonical JSON: a signed statement's copy has its members in canonical order.
    private static bool Same<T>(T a, T b) => Canonical(a).AsSpan().SequenceEqual(Canonical(b));

    private static byte[] Canonical<T>(T value) => CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(value, PredicateJson.Options)).Value;

    private static string Name(RiskLevel level) => level.ToString().ToLowerInvariant();

    // Findings compared member by member (evidence in any order), as their canonical JSON would be, without writing it.
    private sealed class SameFinding : IEqualityComparer<RiskFinding>
    {
        public static SameFinding Instance { get; } = new();

        public bool Equals(RiskFinding? a, RiskFinding? b) =>
            a is not null && b is not null && a.Code == b.Code && a.Severity == b.Severity && a.Category == b.Category && a.Message == b.Message
            && a.Evidence.Count == b.Evidence.Count && a.Evidence.All(e => b.Evidence.TryGetValue(e.Key, out var value) && value == e.Value);

        public int GetHashCode(RiskFinding finding) => HashCode.Combine(finding.Code, finding.Message);
    }
}
