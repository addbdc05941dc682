using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>
/// CycloneDX's licenseChoice: a list of licenses, each named by an SPDX id or by a free-form name, or else a single
/// SPDX license expression standing alone.
/// </summary>
internal static class LicenseRules
{
    private static readonly JsonRule Acknowledgement = Shape.OneOf("declared", "concluded");

    private static readonly JsonRule License = Shape.All(
        Shape.ExactlyOneOf("id", "name"),
        Shape.Object(
            Shape.Optional("id", Shape.StringWhere(SpdxLicenseIds.Contains, "must be an SPDX license identifier")),
            Shape.Optional("name", Shape.String),
            Shape.Optional("acknowledgement", Acknowledgement),
            Shape.Optional("text", AttachmentRules.Check),
            Shape.Optional("url", Shape.String),
            Shape.Optional("properties", PropertyRules.Check)));

    private static readonly JsonRule Entry = Shape.All(
        Shape.ExactlyOneOf("license", "expression"),
        Shape.Object(
            Shape.Optional("license", License),
            Shape.Optional("expression", Shape.String),
            Shape.Optional("acknowledgement", Acknowledgement)));

    private static readonly JsonRule Choice = Shape.All(Shape.ArrayOf(Entry), ExpressionStandsAlone);

    public static string? Check(JsonElement licenses, string path) => Choice(licenses, path);

    private static string? ExpressionStandsAlone(JsonElement licenses, string path)
    {
        var count = licenses.GetArrayLength();
        if (count <= 1)
            return null;
        var index = 0;
        foreach (var entry in licenses.EnumerateArray())
        {
            if (entry.TryGetProperty("expression", out _))
                return Shape.Violation($"{path}[{index}].expression", $"a license expression must be the only entry of its list, found {count} entries");
            index++;
        }
        return null;
    }
}
