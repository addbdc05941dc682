namespace Rollproof.Releases.Sbom;

/// <summary>The SBOM formats a release may carry.</summary>
public enum SbomFormat
{
    CycloneDx,
    Spdx,
}

/// <summary>What a valid SBOM says of itself: its format and version, and how many components (packages) it lists.</summary>
public sealed record SbomSummary(SbomFormat Format, string SpecVersion, int ComponentCount)
{
    /// <summary>The media type the release predicate records for the SBOM.</summary>
    public string MediaType => Format == SbomFormat.Spdx ? "application/spdx+json" : "application/vnd.cyclonedx+json";
}
