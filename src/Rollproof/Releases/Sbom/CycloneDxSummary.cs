namespace Rollproof.Releases.Sbom;

/// <summary>What a valid CycloneDX SBOM says of itself; <paramref name="ComponentCount"/> includes nested components.</summary>
public sealed record CycloneDxSummary(string SpecVersion, string? SerialNumber, int ComponentCount);
