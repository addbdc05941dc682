using System.Text.Json;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// A component of an SBOM, keyed for comparison across releases by its package URL without the version (or by
/// group/name when it has none); <see cref="Element"/> keeps the JSON for the crypto analysis.
/// </summary>
public sealed record SbomComponent(string Key, string Name, string? Version, string? Type, string? BomRef, JsonElement Element);

/// <summary>A vulnerability a CycloneDX document states about its components (its own, or a VEX document's).</summary>
public sealed record StatedVulnerability(string Id, IReadOnlyList<string> Aliases, Severity Severity, string ComponentKey, string? Version, bool Affected);

/// <summary>
/// Reads the components of an SBOM: a CycloneDX document's components (nested ones included) and stated
/// vulnerabilities, or an SPDX document's packages (<see cref="SpdxPackages"/>), which state none.
/// </summary>
public sealed class SbomComponents
{
    private SbomComponents(List<SbomComponent> components, List<StatedVulnerability> vulnerabilities)
    {
        All = components;
        Vulnerabilities = vulnerabilities;
        ByKey = components.GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public IReadOnlyList<SbomComponent> All { get; }

    /// <summary>The first component of each key (a key repeated in one SBOM is compared once).</summary>
    public IReadOnlyDictionary<string, SbomComponent> ByKey { get; }

    public IReadOnlyList<StatedVulnerability> Vulnerabilities { get; }

    public static SbomComponents Read(JsonElement bom)
    {
        if (Releases.Sbom.SbomValidator.IsSpdx(bom))
            return new SbomComponents([.. SpdxPackages.Read(bom)], []);
        var components = new List<SbomComponent>();
        if (bom.TryGetProperty("components", out var list) && list.ValueKind == JsonValueKind.Array)
            Collect(list, components);
        var byRef = components.Where(c => c.BomRef is not null).GroupBy(c => c.BomRef!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return new SbomComponents(components, [.. CycloneDxVulnerabilities.Read(bom, reference => byRef.GetValueOrDefault(reference))]);
    }

    public static string KeyOf(string? purl, string? group, string name)
    {
        if (purl is not null && purl.StartsWith("pkg:", StringComparison.Ordinal))
        {
            var end = purl.IndexOfAny(['@', '?', '#']);
            return (end < 0 ? purl : purl[..end]).ToLowerInvariant();
        }
        return (group is null ? name : $"{group}/{name}").ToLowerInvariant();
    }

    private static void Collect(JsonElement list, List<SbomComponent> into)
    {
        foreach (var c in list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
        {
            var name = Text(c, "name") ?? "";
            into.Add(new SbomComponent(KeyOf(Text(c, "purl"), Text(c, "group"), name), name, Text(c, "version"), Text(c, "type"), Text(c, "bom-ref"), c));
            if (c.TryGetProperty("components", out var nested) && nested.ValueKind == JsonValueKind.Array)
                Collect(nested, into);
        }
    }

    internal static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
