using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's issue: a defect, enhancement or security issue that a patch or a release resolves.</summary>
internal static class IssueRules
{
    private static readonly JsonRule Issue = Shape.Object(
        Shape.Required("type", Shape.OneOf("defect", "enhancement", "security")),
        Shape.Optional("id", Shape.String),
        Shape.Optional("name", Shape.String),
        Shape.Optional("description", Shape.String),
        Shape.Optional("source", Shape.Object(Shape.Optional("name", Shape.String), Shape.Optional("url", Shape.String))),
        Shape.Optional("references", Shape.ArrayOf(Shape.String)));

    public static string? Check(JsonElement issue, string path) => Issue(issue, path);
}
