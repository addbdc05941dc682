using System.Text.Json;

namespace Rollproof.Rollbacks.Risk;

/// <summary>
/// The packages of an SPDX 2.3 document as components: the name, <c>versionInfo</c> as the version, the SPDXID as the
/// reference, and the package URL from an external reference of category PACKAGE-MANAGER (or PACKAGE_MANAGER, which
/// the schema also allows) and type <c>purl</c>, so a package is keyed by its purl exactly as a CycloneDX component
/// with the same purl is. SPDX 2.3 has no cryptographic assets and states no vulnerabilities: those come from the feed.
/// </summary>
internal static class SpdxPackages
{
    public static IEnumerable<SbomComponent> Read(JsonElement document)
    {
        if (!document.TryGetProperty("packages", out var packages) || packages.ValueKind != JsonValueKind.Array)
            yield break;
        foreach (var package in packages.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object))
        {
            var name = SbomComponents.Text(package, "name") ?? "";
            var purl = Purl(package);
            yield return new SbomComponent(SbomComponents.KeyOf(purl, null, name), name, SbomComponents.Text(package, "versionInfo"),
                SbomComponents.Text(package, "primaryPackagePurpose")?.ToLowerInvariant(), SbomComponents.Text(package, "SPDXID"), package);
        }
    }

    private static string? Purl(JsonElement package) =>
        package.TryGetProperty("externalRefs", out var references) && references.ValueKind == JsonValueKind.Array
            ? references.EnumerateArray()
                .Where(r => r.ValueKind == JsonValueKind.Object && SbomComponents.Text(r, "referenceCategory") is "PACKAGE-MANAGER" or "PACKAGE_MANAGER" && SbomComponents.Text(r, "referenceType") == "purl")
                .Select(r => SbomComponents.Text(r, "referenceLocator"))
                .FirstOrDefault(locator => locator is not null)
            : null;
}
