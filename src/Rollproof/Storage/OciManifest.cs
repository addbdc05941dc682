using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// An OCI image manifest (schema version 2) as artifacts use it: an <see cref="ArtifactType"/>, a config, layers, and
/// optionally a <see cref="Subject"/>, the manifest this one is about (a signature about a release).
/// </summary>
public sealed record OciManifest(OciDescriptor Config, IReadOnlyList<OciDescriptor> Layers)
{
    /// <summary>What registries must accept and clients need not read beyond (OCI Distribution 1.1).</summary>
    public const int MaxSize = 4 << 20;

    public string? ArtifactType { get; init; }

    public OciDescriptor? Subject { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>The manifest's canonical JSON: what is pushed, and what its digest is the hash of.</summary>
    public byte[] ToJson()
    {
        var json = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = Config.ToJson(),
            ["layers"] = new JsonArray([.. Layers.Select(l => (JsonNode)l.ToJson())]),
        };
        if (ArtifactType is not null)
            json["artifactType"] = ArtifactType;
        if (Subject is not null)
            json["subject"] = Subject.ToJson();
        if (Annotations is not null)
            json["annotations"] = OciJson.Write(Annotations);
        return OciJson.Canonical(json);
    }

    /// <summary>Reads a manifest from a registry; anything other than an OCI image manifest is a problem naming the field.</summary>
    public static Result<OciManifest> Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxSize)
            return Result<OciManifest>.Fail(ErrorCodes.InputTooLarge, $"manifest is {json.Length} bytes, more than the {MaxSize}-byte limit");
        var parsed = OciJson.Parse(json);
        if (!parsed.IsOk)
            return parsed.Problem;
        var root = parsed.Value;
        if ((OciJson.ExpectSchemaVersion2(root) ?? OciJson.Expect(root, "mediaType", OciMediaTypes.ImageManifest, "$")) is { } wrong)
            return wrong;
        if (!root.TryGetProperty("config", out var configJson))
            return OciJson.Malformed("$.config", "is missing");
        var config = OciDescriptor.Read(configJson, "$.config");
        if (!config.IsOk)
            return config.Problem;
        if (!root.TryGetProperty("layers", out var layersJson) || layersJson.ValueKind != JsonValueKind.Array)
            return OciJson.Malformed("$.layers", "is missing or not an array");
        var layers = new List<OciDescriptor>();
        foreach (var layerJson in layersJson.EnumerateArray())
        {
            var layer = OciDescriptor.Read(layerJson, $"$.layers[{layers.Count}]");
            if (!layer.IsOk)
                return layer.Problem;
            layers.Add(layer.Value);
        }
        OciDescriptor? subject = null;
        if (root.TryGetProperty("subject", out var subjectJson))
        {
            var read = OciDescriptor.Read(subjectJson, "$.subject");
            if (!read.IsOk)
                return read.Problem;
            subject = read.Value;
        }
        var artifactType = OciJson.String(root, "artifactType", "$", required: false);
        if (!artifactType.IsOk)
            return artifactType.Problem;
        var annotations = OciJson.Annotations(root, "$");
        if (!annotations.IsOk)
            return annotations.Problem;
        return Result<OciManifest>.Ok(new OciManifest(config.Value, layers) { ArtifactType = artifactType.Value, Subject = subject, Annotations = annotations.Value });
    }
}
