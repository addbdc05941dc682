using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>A container image's manifest or index as a registry serves it: the exact bytes its digest is the hash of, and its media type.</summary>
public sealed record ImageManifest(byte[] Bytes, string MediaType)
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>What a registry may answer for an image: single-platform manifests and multi-platform indexes, OCI and Docker.</summary>
    public static IReadOnlyList<string> MediaTypes { get; } = [OciMediaTypes.ImageManifest, OciIndex, DockerManifest, DockerManifestList];

    /// <summary>Checks the bytes are a schema-2 manifest or index of a known type, as the JSON and the registry's Content-Type say.</summary>
    public static Result<ImageManifest> Read(byte[] bytes, string? contentType)
    {
        var parsed = OciJson.Parse(bytes);
        if (!parsed.IsOk)
            return parsed.Problem;
        if (OciJson.ExpectSchemaVersion2(parsed.Value) is { } version)
            return version;
        var declared = OciJson.String(parsed.Value, "mediaType", "$", required: false);
        if (!declared.IsOk)
            return declared.Problem;
        if (declared.Value is not null && contentType is not null && contentType != declared.Value && MediaTypes.Contains(contentType))
            return OciJson.Malformed("$.mediaType", $"is '{declared.Value}', but the registry served it as '{contentType}'");
        var mediaType = declared.Value ?? contentType;
        return mediaType is not null && MediaTypes.Contains(mediaType)
            ? Result<ImageManifest>.Ok(new ImageManifest(bytes, mediaType))
            : OciJson.Malformed("$.mediaType", $"'{mediaType ?? "(none)"}' is not an image manifest or index ({string.Join(", ", MediaTypes)})");
    }
}
