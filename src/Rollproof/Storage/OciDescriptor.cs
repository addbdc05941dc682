using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>An OCI content descriptor: the media type, digest and size of a blob or manifest that a manifest refers to.</summary>
public sealed record OciDescriptor(string MediaType, Sha256Digest Digest, long Size)
{
    public string? ArtifactType { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public string? Title => Annotations?.GetValueOrDefault(OciMediaTypes.TitleAnnotation);

    internal JsonObject ToJson()
    {
        var json = new JsonObject { ["mediaType"] = MediaType, ["digest"] = Digest.ToString(), ["size"] = Size };
        if (ArtifactType is not null)
            json["artifactType"] = ArtifactType;
        if (Annotations is not null)
            json["annotations"] = OciJson.Write(Annotations);
        return json;
    }

    internal static Result<OciDescriptor> Read(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
            return OciJson.Malformed(path, "is not an object");
        var mediaType = OciJson.String(json, "mediaType", path, required: true);
        if (!mediaType.IsOk)
            return mediaType.Problem;
        var digestText = OciJson.String(json, "digest", path, required: true);
        if (!digestText.IsOk)
            return digestText.Problem;
        // Sha256Digest also reads bare hex; a manifest must say "sha256:", as OCI requires.
        var digest = digestText.Value!.StartsWith("sha256:", StringComparison.Ordinal) ? Sha256Digest.Parse(digestText.Value) : Result<Sha256Digest>.Fail(ErrorCodes.DigestMalformed, $"'{digestText.Value}' names no algorithm");
        if (!digest.IsOk)
            return OciJson.Malformed($"{path}.digest", digest.Problem.Message + "; Rollproof reads sha256 digests only");
        if (!json.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Number || !size.TryGetInt64(out var bytes) || bytes < 0)
            return OciJson.Malformed($"{path}.size", "is missing or not a non-negative integer");
        var artifactType = OciJson.String(json, "artifactType", path, required: false);
        if (!artifactType.IsOk)
            return artifactType.Problem;
        var annotations = OciJson.Annotations(json, path);
        if (!annotations.IsOk)
            return annotations.Problem;
        return Result<OciDescriptor>.Ok(new OciDescriptor(mediaType.Value!, digest.Value, bytes) { ArtifactType = artifactType.Value, Annotations = annotations.Value });
    }
}
