using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Releases.Sbom;

/// <summary>
/// Validates SPDX 2.3 JSON documents against the official SPDX 2.3 schema, plus what the schema leaves open: the
/// <c>spdxVersion</c> must be <c>SPDX-2.3</c> (the schema takes any string), and each SPDXID is declared once.
/// Failures name the JSON path of the offending field first.
/// </summary>
internal static class SpdxValidator
{
    public static Result<SbomSummary> Validate(JsonElement root)
    {
        var problem = SchemaCheck.FirstViolation(SbomSchemas.Spdx, root) ?? CheckVersion(root) ?? CheckIdentifiers(root);
        if (problem is not null)
            return Result<SbomSummary>.Fail(ErrorCodes.SbomInvalid, problem);
        var packages = root.TryGetProperty("packages", out var list) ? list.GetArrayLength() : 0;
        return Result<SbomSummary>.Ok(new SbomSummary(SbomFormat.Spdx, root.GetProperty("spdxVersion").GetString()!, packages));
    }

    private static string? CheckVersion(JsonElement root) =>
        root.GetProperty("spdxVersion").GetString() == "SPDX-2.3" ? null : Shape.Violation("$.spdxVersion", $"must be 'SPDX-2.3', found {Shape.Quote(root.GetProperty("spdxVersion").GetString()!)}");

    // Relationships and findings name elements by SPDXID, so one ID for two elements would make them ambiguous.
    private static string? CheckIdentifiers(JsonElement root)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal) { root.GetProperty("SPDXID").GetString()! };
        foreach (var section in (string[])["packages", "files", "snippets"])
        {
            if (!root.TryGetProperty(section, out var elements))
                continue;
            var index = 0;
            foreach (var element in elements.EnumerateArray())
            {
                if (element.TryGetProperty("SPDXID", out var id) && !declared.Add(id.GetString()!))
                    return Shape.Violation($"$.{section}[{index}].SPDXID", $"{Shape.Quote(id.GetString()!)} is declared more than once; an SPDXID is unique within a document");
                index++;
            }
        }
        return null;
    }
}
