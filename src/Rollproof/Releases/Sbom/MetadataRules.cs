using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's metadata: when the BOM was made, by which tools, about which component, under which licenses.</summary>
internal static class MetadataRules
{
    // Since 1.5 tools are components and services; the older array of vendor/name/version tools is deprecated but valid.
    private static readonly JsonRule ToolComponentsAndServices = Shape.Object(
        Shape.Optional("components", Shape.ArrayOf(ComponentRules.Check)),
        Shape.Optional("services", Shape.ArrayOf(ServiceRules.Check)));

    private static readonly JsonRule DeprecatedTools = Shape.ArrayOf(Shape.Object(
        Shape.Optional("vendor", Shape.String),
        Shape.Optional("name", Shape.String),
        Shape.Optional("version", Shape.String),
        Shape.Optional("hashes", Shape.ArrayOf(HashRules.Check))));

    private static readonly JsonRule Metadata = Shape.Object(
        Shape.Optional("timestamp", Rfc3339.DateTime),
        Shape.Optional("tools", (tools, path) => tools.ValueKind == JsonValueKind.Array ? DeprecatedTools(tools, path) : ToolComponentsAndServices(tools, path)),
        Shape.Optional("component", ComponentRules.Check),
        Shape.Optional("licenses", LicenseRules.Check),
        Shape.Optional("properties", PropertyRules.Check));

    public static string? Check(JsonElement metadata, string path) => Metadata(metadata, path);
}
