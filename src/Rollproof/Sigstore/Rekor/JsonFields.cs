using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// One JSON object of a proposed entry, read member by member: every member it may hold is named up front, so an
/// unknown one is refused (Rekor's schemas allow no others), and each problem names the member's full JSON path.
/// </summary>
internal readonly struct JsonFields
{
    private readonly JsonElement _object;
    private readonly string _path;

    private JsonFields(JsonElement value, string path)
    {
        _object = value;
        _path = path;
    }

    public static Result<JsonFields> Of(JsonElement value, string path, params string[] members)
    {
        if (value.ValueKind != JsonValueKind.Object)
            return RekorField.Malformed(path, "must be a JSON object");
        foreach (var member in value.EnumerateObject())
        {
            if (!members.Contains(member.Name, StringComparer.Ordinal))
                return RekorField.Malformed(Join(path, member.Name), $"is not a member of {path} (it may hold {string.Join(", ", members)})");
        }
        return Result<JsonFields>.Ok(new JsonFields(value, path));
    }

    public string PathOf(string member) => Join(_path, member);

    public bool Has(string member) => _object.TryGetProperty(member, out _);

    /// <summary>A required, non-empty string member.</summary>
    public Result<string> String(string member) =>
        _object.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? Result<string>.Ok(text)
            : RekorField.Malformed(PathOf(member), "is missing or not a non-empty string");

    /// <summary>A required object member that may hold only <paramref name="members"/>.</summary>
    public Result<JsonFields> Object(string member, params string[] members) =>
        _object.TryGetProperty(member, out var value) ? Of(value, PathOf(member), members) : RekorField.Malformed(PathOf(member), "is missing");

    /// <summary>A required array member of 1 to <paramref name="max"/> items.</summary>
    public Result<IReadOnlyList<JsonElement>> Array(string member, int max)
    {
        if (!_object.TryGetProperty(member, out var value) || value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
            return RekorField.Malformed(PathOf(member), "is missing or not a non-empty array");
        if (value.GetArrayLength() > max)
            return RekorField.Malformed(PathOf(member), $"holds {value.GetArrayLength()} items, more than the {max} allowed");
        return Result<IReadOnlyList<JsonElement>>.Ok([.. value.EnumerateArray()]);
    }

    private static string Join(string path, string member) => path.Length == 0 ? member : $"{path}.{member}";
}
