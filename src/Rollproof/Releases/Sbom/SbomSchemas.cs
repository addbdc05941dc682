using System.Text.Json;
using Json.Schema;

namespace Rollproof.Releases.Sbom;

/// <summary>
/// The official JSON schema of SPDX 2.3, embedded unchanged (Schemas/NOTICE.md) and built once into a registry of its
/// own, so no schema is ever fetched by URI. CycloneDX documents are checked by Rollproof's own rules instead, which a
/// test holds to the official CycloneDX schema's verdict (docs/statements.md, "SBOM validation").
/// </summary>
internal static class SbomSchemas
{
    private static readonly Lazy<JsonSchema> Built = new(Build);

    public static JsonSchema Spdx => Built.Value;

    private static JsonSchema Build()
    {
        using var stream = typeof(SbomSchemas).Assembly.GetManifestResourceStream("Rollproof.Sbom.spdx-2.3-schema.json")
            ?? throw new InvalidOperationException("the SPDX 2.3 schema is not embedded");
        using var document = JsonDocument.Parse(stream);
        return JsonSchema.Build(document.RootElement.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }
}
