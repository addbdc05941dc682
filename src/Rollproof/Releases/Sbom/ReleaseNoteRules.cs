using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's releaseNotes: the kind of release, when it happened, and the issues it resolves.</summary>
internal static class ReleaseNoteRules
{
    private static readonly JsonRule ReleaseNotes = Shape.Object(
        Shape.Required("type", Shape.String),
        Shape.Optional("timestamp", Rfc3339.DateTime),
        Shape.Optional("resolves", Shape.ArrayOf(IssueRules.Check)),
        Shape.Optional("properties", PropertyRules.Check));

    public static string? Check(JsonElement releaseNotes, string path) => ReleaseNotes(releaseNotes, path);
}
