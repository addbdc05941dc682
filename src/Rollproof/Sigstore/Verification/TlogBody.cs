using System.Text.Json;
using Rollproof.Common;
using Rollproof.Sigstore.Rekor;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// Checks that an entry's <c>canonicalizedBody</c> logs exactly the bundle's content: the same signature, the same
/// signer and the same artifact digest or DSSE payload. The body's own <c>kind</c> and <c>apiVersion</c> must be the
/// entry's <c>kindVersion</c>; a kind or version not listed here is refused, never guessed at.
/// </summary>
internal static class TlogBody
{
    /// <summary>Rekor v2 logs carry no integrated time and no signed entry timestamp; their kinds are versioned 0.0.2.</summary>
    public static bool IsRekorV2(string kind, string version) => version == "0.0.2" && kind is "hashedrekord" or "dsse";

    public static Problem? Match(string kind, string version, byte[] body, SignedContent content)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return TlogBundleEntry.Malformed("canonicalizedBody", $"is not JSON ({e.Message})");
        }
        using (document)
        {
            var root = JsonFields.Of(document.RootElement, "canonicalizedBody", "apiVersion", "kind", "spec");
            if (!root.IsOk)
                return Remap(root.Problem);
            var (bodyKind, bodyVersion) = (root.Value.String("kind"), root.Value.String("apiVersion"));
            if (!bodyKind.IsOk || !bodyVersion.IsOk)
                return Remap((bodyKind.Problem ?? bodyVersion.Problem)!);
            if (bodyKind.Value != kind || bodyVersion.Value != version)
                return new Problem(ErrorCodes.TlogKindUnsupported, $"tlog entry kindVersion says {kind} {version}, but its canonicalizedBody is {bodyKind.Value} {bodyVersion.Value}");
            var spec = document.RootElement.GetProperty("spec");
            var problem = (kind, version) switch
            {
                ("hashedrekord", "0.0.1") => RekorV1Bodies.HashedRekord(spec, content),
                ("dsse", "0.0.1") => RekorV1Bodies.Dsse(spec, content),
                ("intoto", "0.0.1") => RekorV1Bodies.IntotoV001(spec, content),
                ("intoto", "0.0.2") => RekorV1Bodies.IntotoV002(spec, content),
                ("hashedrekord", "0.0.2") => RekorV2Bodies.HashedRekord(spec, content),
                ("dsse", "0.0.2") => RekorV2Bodies.Dsse(spec, content),
                _ => new Problem(ErrorCodes.TlogKindUnsupported, $"tlog entry kind {kind} {version} is not one verified here (Rekor v1 hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.1 and 0.0.2; Rekor v2 hashedrekord 0.0.2, dsse 0.0.2)"),
            };
            return problem is { Code: ErrorCodes.RekorEntryMalformed } ? Remap(problem) : problem;
        }
    }

    /// <summary>The Rekor body readers name the member's JSON path; here that path is inside the entry's body.</summary>
    private static Problem Remap(Problem problem) => new(ErrorCodes.TlogEntryMalformed, $"tlog entry {problem.Message}");
}
