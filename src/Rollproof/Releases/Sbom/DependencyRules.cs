using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>The shape of CycloneDX's dependency; <see cref="BomReferences"/> checks that its refs point somewhere.</summary>
internal static class DependencyRules
{
    private static readonly JsonRule Reference = Shape.StringWhere(text => text.Length > 0, "must be a non-empty bom-ref");

    private static readonly JsonRule Dependency = Shape.Object(
        Shape.Required("ref", Reference),
        Shape.Optional("dependsOn", Shape.ArrayOf(Reference)),
        Shape.Optional("provides", Shape.ArrayOf(Reference)));

    public static string? Check(JsonElement dependency, string path) => Dependency(dependency, path);
}
