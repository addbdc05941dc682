using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Storage;

/// <summary>Reading and writing the JSON of OCI manifests and indexes: fields checked with their JSON path, bytes written canonically.</summary>
internal static class OciJson
{
    /// <summary>RFC 8785 bytes, so that the same manifest always has the same digest.</summary>
    public static byte[] Canonical(JsonObject json) => CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(json)).Value;

    /// <summary>Parses a registry's answer; duplicate members are refused, since tools could disagree on which one counts.</summary>
    public static Result<JsonElement> Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = TextJson.Parse(json.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? Result<JsonElement>.Ok(document.RootElement.Clone())
                : Malformed("$", "is not a JSON object");
        }
        catch (JsonException e)
        {
            return Malformed("$", $"not valid JSON: {e.Message}");
        }
    }

    public static Problem Malformed(string path, string message) => new(ErrorCodes.ManifestMalformed, $"{path}: {message}");

    /// <summary>A string member: null when absent and optional; a problem when of the wrong kind, or absent and required.</summary>
    public static Result<string?> String(JsonElement parent, string name, string path, bool required)
    {
        if (!parent.TryGetProperty(name, out var value))
            return required ? Malformed($"{path}.{name}", "is missing") : Result<string?>.Ok(null);
        return value.ValueKind == JsonValueKind.String ? Result<string?>.Ok(value.GetString()) : Malformed($"{path}.{name}", "is not a string");
    }

    /// <summary>Checks a member that must hold one exact string (a schema version's media type).</summary>
    public static Problem? Expect(JsonElement parent, string name, string expected, string path)
    {
        var value = String(parent, name, path, required: true);
        if (!value.IsOk)
            return value.Problem;
        return value.Value == expected ? null : Malformed($"{path}.{name}", $"is '{value.Value}', expected '{expected}'");
    }

    public static Problem? ExpectSchemaVersion2(JsonElement root) =>
        root.TryGetProperty("schemaVersion", out var version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var number) && number == 2
            ? null
            : Malformed("$.schemaVersion", "is not 2");

    public static Result<IReadOnlyDictionary<string, string>?> Annotations(JsonElement parent, string path)
    {
        if (!parent.TryGetProperty("annotations", out var value))
            return Result<IReadOnlyDictionary<string, string>?>.Ok(null);
        if (value.ValueKind != JsonValueKind.Object)
            return Malformed($"{path}.annotations", "is not an object");
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in value.EnumerateObject())
        {
            if (member.Value.ValueKind != JsonValueKind.String)
                return Malformed($"{path}.annotations.{member.Name}", "is not a string");
            annotations[member.Name] = member.Value.GetString()!;
        }
        return Result<IReadOnlyDictionary<string, string>?>.Ok(annotations);
    }

    public static JsonObject Write(IReadOnlyDictionary<string, string> annotations) =>
        new(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
}
