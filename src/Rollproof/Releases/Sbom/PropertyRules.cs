using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's properties: a list of name-value pairs in which the name is required and the value optional.</summary>
internal static class PropertyRules
{
    private static readonly JsonRule Properties = Shape.ArrayOf(Shape.Object(
        Shape.Required("name", Shape.String),
        Shape.Optional("value", Shape.String)));

    public static string? Check(JsonElement properties, string path) => Properties(properties, path);
}
