using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Releases.Sbom;

/// <summary>
/// Validates a release SBOM in either format it may come in, told apart by the document itself: an SPDX document names
/// itself in <c>spdxVersion</c>; anything else is held to CycloneDX's rules (which require <c>bomFormat</c>).
/// </summary>
public static class SbomValidator
{
    public const int MaxSize = SbomJson.MaxSize;

    public static Result<SbomSummary> Validate(ReadOnlySpan<byte> json)
    {
        var parsed = SbomJson.Parse(json);
        if (!parsed.IsOk)
            return parsed.Problem;
        using var document = parsed.Value;
        var root = document.RootElement;
        if (IsSpdx(root))
            return SpdxValidator.Validate(root);
        var cycloneDx = CycloneDxValidator.Validate(root);
        return cycloneDx.IsOk
            ? Result<SbomSummary>.Ok(new SbomSummary(SbomFormat.CycloneDx, cycloneDx.Value.SpecVersion, cycloneDx.Value.ComponentCount))
            : cycloneDx.Problem;
    }

    /// <summary>Whether the document is an SPDX one (a top-level <c>spdxVersion</c> and no <c>bomFormat</c>).</summary>
    public static bool IsSpdx(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("spdxVersion", out _) && !root.TryGetProperty("bomFormat", out _);
}
