using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rollproof.Releases.Sbom;

/// <summary>The top level of a CycloneDX 1.4–1.6 JSON document, held to the 1.6 schema's rules.</summary>
internal static partial class BomRules
{
    private static readonly string[] SpecVersions = ["1.4", "1.5", "1.6"];

    // Of annotations and vulnerabilities only the timestamps carry rules here.
    private static readonly JsonRule Annotation = Shape.Object(
        Shape.Required("timestamp", Rfc3339.DateTime),
        Shape.Required("text", Shape.String));

    private static readonly JsonRule Vulnerability = Shape.Object(
        Shape.Optional("created", Rfc3339.DateTime),
        Shape.Optional("published", Rfc3339.DateTime),
        Shape.Optional("updated", Rfc3339.DateTime),
        Shape.Optional("rejected", Rfc3339.DateTime),
        Shape.Optional("properties", PropertyRules.Check));

    private static readonly JsonRule Bom = Shape.Object(
        Shape.Required("bomFormat", Shape.OneOf("CycloneDX")),
        Shape.Required("specVersion", Shape.OneOf(SpecVersions)),
        Shape.Optional("serialNumber", Shape.StringWhere(text => SerialNumber().IsMatch(text), "must be 'urn:uuid:' and a lowercase RFC 4122 UUID")),
        Shape.Optional("version", Shape.IntegerAtLeast(1)),
        Shape.Optional("metadata", MetadataRules.Check),
        Shape.Optional("components", Shape.ArrayOf(ComponentRules.Check)),
        Shape.Optional("services", Shape.ArrayOf(ServiceRules.Check)),
        Shape.Optional("dependencies", Shape.ArrayOf(DependencyRules.Check)),
        Shape.Optional("annotations", Shape.ArrayOf(Annotation)),
        Shape.Optional("vulnerabilities", Shape.ArrayOf(Vulnerability)),
        Shape.Optional("properties", PropertyRules.Check));

    public static string? Check(JsonElement bom) => Bom(bom, "$");

    // \z rather than $, which would admit a final newline.
    [GeneratedRegex(@"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\z")]
    private static partial Regex SerialNumber();
}
