using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's pedigree: the components a component derives from, and the patches applied to it.</summary>
internal static class PedigreeRules
{
    private static readonly JsonRule Patch = Shape.Object(
        Shape.Required("type", Shape.OneOf("unofficial", "monkey", "backport", "cherry-pick")),
        Shape.Optional("diff", Shape.Object(Shape.Optional("text", AttachmentRules.Check), Shape.Optional("url", Shape.String))),
        Shape.Optional("resolves", Shape.ArrayOf(IssueRules.Check)));

    private static readonly JsonRule Pedigree = Shape.Object(
        Shape.Optional("ancestors", Shape.ArrayOf(ComponentRules.Check)),
        Shape.Optional("descendants", Shape.ArrayOf(ComponentRules.Check)),
        Shape.Optional("variants", Shape.ArrayOf(ComponentRules.Check)),
        Shape.Optional("patches", Shape.ArrayOf(Patch)),
        Shape.Optional("notes", Shape.String));

    public static string? Check(JsonElement pedigree, string path) => Pedigree(pedigree, path);
}
