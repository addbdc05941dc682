using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Releases.Sbom;

/// <summary>
/// Validates a release SBOM in either format it may come in, told apart by the document itself: a CycloneDX BOM names
/// itself in <c>bomFormat</c>, an SPDX document in <c>spdxVersion</c>.
/// </summary>
public static class SbomValidator
{
    public const int MaxSize = CycloneDxValidator.MaxSize;

    public static Result<SbomSummary> Validate(ReadOnlySpan<byte> json)
    {
        if (IsSpdx(json))
            return SpdxValidator.Validate(json);
        var cycloneDx = CycloneDxValidator.Validate(json);
        return cycloneDx.IsOk
            ? Result<SbomSummary>.Ok(new SbomSummary(SbomFormat.CycloneDx, cycloneDx.Value.SpecVersion, cycloneDx.Value.ComponentCount))
            : cycloneDx.Problem;
    }

    /// <summary>Whether the document is an SPDX one (a top-level <c>spdxVersion</c> and no <c>bomFormat</c>); anything else is read as CycloneDX.</summary>
    public static bool IsSpdx(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("spdxVersion", out _) && !root.TryGetProperty("bomFormat", out _);

    private static bool IsSpdx(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxSize)
            return false;
        try
        {
            using var document = TextJson.Parse(json.ToArray(), default);
            return IsSpdx(document.RootElement);
        }
        catch (JsonException)
        {
            return false; // the CycloneDX validator names what is wrong with it
        }
    }
}
