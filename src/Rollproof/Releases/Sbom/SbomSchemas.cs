using System.Text.Json;
using Json.Schema;

namespace Rollproof.Releases.Sbom;

/// <summary>
/// The official JSON schemas of the SBOM formats Rollproof accepts (CycloneDX 1.6, SPDX 2.3), embedded unchanged
/// (Schemas/NOTICE.md) and built once into a registry of their own, so no schema is ever fetched by URI.
/// </summary>
internal static class SbomSchemas
{
    private static readonly Lazy<(JsonSchema CycloneDx, JsonSchema Spdx)> Built = new(Build);

    public static JsonSchema CycloneDx => Built.Value.CycloneDx;

    public static JsonSchema Spdx => Built.Value.Spdx;

    private static (JsonSchema, JsonSchema) Build()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        // The BOM schema refers to these two by their $id, so they are registered first.
        Load("spdx.schema.json", options);
        Load("jsf-0.82.schema.json", options);
        return (Load("bom-1.6.schema.json", options), Load("spdx-2.3-schema.json", options));
    }

    private static JsonSchema Load(string name, BuildOptions options)
    {
        using var stream = typeof(SbomSchemas).Assembly.GetManifestResourceStream($"Rollproof.Sbom.{name}")
            ?? throw new InvalidOperationException($"the schema {name} is not embedded");
        using var document = JsonDocument.Parse(stream);
        return JsonSchema.Build(document.RootElement.Clone(), options);
    }
}
