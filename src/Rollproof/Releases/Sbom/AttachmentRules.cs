using System.Text.Json;

namespace Rollproof.Releases.Sbom;

/// <summary>CycloneDX's attachment (license texts, SWID tags, patch diffs): content, inline or base64-encoded.</summary>
internal static class AttachmentRules
{
    private static readonly JsonRule Attachment = Shape.Object(
        Shape.Required("content", Shape.String),
        Shape.Optional("contentType", Shape.String),
        Shape.Optional("encoding", Shape.OneOf("base64")));

    public static string? Check(JsonElement attachment, string path) => Attachment(attachment, path);
}
