using System.Text.Json;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// Reads CycloneDX <c>vulnerabilities</c> (in an SBOM, or a VEX document in the feed): for each affected component,
/// the version it speaks of and whether it is affected. An analysis state of not_affected, false_positive or resolved
/// means not affected; a <c>versions</c> entry says so per version with its <c>status</c>. Version ranges
/// (<c>range</c>, the vers syntax) are not interpreted: such entries are skipped rather than guessed at.
/// </summary>
internal static class CycloneDxVulnerabilities
{
    private static readonly HashSet<string> NotAffectedStates = new(["not_affected", "false_positive", "resolved", "resolved_with_pedigree"], StringComparer.Ordinal);

    /// <param name="component">Resolves a <c>bom-ref</c> to a component of the same document, if it is one.</param>
    public static IEnumerable<StatedVulnerability> Read(JsonElement bom, Func<string, SbomComponent?> component)
    {
        if (!bom.TryGetProperty("vulnerabilities", out var list) || list.ValueKind != JsonValueKind.Array)
            yield break;
        foreach (var v in list.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object))
        {
            if (SbomComponents.Text(v, "id") is not { } id || !v.TryGetProperty("affects", out var affects) || affects.ValueKind != JsonValueKind.Array)
                continue;
            var aliases = Objects(v, "references").Select(r => SbomComponents.Text(r, "id")).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var severity = Objects(v, "ratings").Select(r => SeverityOf(SbomComponents.Text(r, "severity"))).DefaultIfEmpty(Severity.High).Max();
            var state = v.TryGetProperty("analysis", out var analysis) && analysis.ValueKind == JsonValueKind.Object ? SbomComponents.Text(analysis, "state") : null;
            var affectedByAnalysis = state is null || !NotAffectedStates.Contains(state);
            foreach (var affect in affects.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.Object))
            {
                if (SbomComponents.Text(affect, "ref") is not { } reference)
                    continue;
                var (key, version) = component(reference) is { } c ? (c.Key, c.Version) : (SbomComponents.KeyOf(reference, null, reference), VersionIn(reference));
                var versions = Objects(affect, "versions").Where(e => SbomComponents.Text(e, "version") is not null).ToList();
                if (versions.Count == 0)
                {
                    if (!Objects(affect, "versions").Any()) // only ranges: not interpreted
                        yield return new StatedVulnerability(id, aliases, severity, key, version, affectedByAnalysis);
                    continue;
                }
                foreach (var entry in versions)
                    yield return new StatedVulnerability(id, aliases, severity, key, SbomComponents.Text(entry, "version"),
                        affectedByAnalysis && SbomComponents.Text(entry, "status") is null or "affected");
            }
        }
    }

    public static Severity SeverityOf(string? rating) => rating?.ToLowerInvariant() switch
    {
        "critical" => Severity.Critical,
        "high" => Severity.High,
        "medium" or "moderate" => Severity.Medium,
        "low" => Severity.Low,
        "info" or "none" => Severity.Info,
        _ => Severity.High, // unknown: assume the worst a reviewer should still weigh
    };

    private static IEnumerable<JsonElement> Objects(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object) : [];

    private static string? VersionIn(string purl)
    {
        var at = purl.IndexOf('@');
        if (!purl.StartsWith("pkg:", StringComparison.Ordinal) || at < 0)
            return null;
        var end = purl.IndexOfAny(['?', '#'], at);
        return end < 0 ? purl[(at + 1)..] : purl[(at + 1)..end];
    }
}
