using System.Globalization;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// Reads protobuf's JSON mapping of Sigstore's messages from untrusted input: members by their lowerCamelCase names,
/// bytes as base64 (standard or URL-safe, padded or not, as the mapping allows), 64-bit integers as strings, arrays
/// bounded. Unknown members are left alone (newer producers add fields); a known member of the wrong type is refused,
/// and every problem names its JSON path and carries the caller's error code.
/// </summary>
internal readonly struct ProtoJson(JsonElement value, string path, string code)
{
    public JsonElement Element => value;

    public string Path => path;

    public static Result<ProtoJson> Root(JsonElement value, string code) =>
        value.ValueKind == JsonValueKind.Object ? Result<ProtoJson>.Ok(new(value, "$", code)) : Result<ProtoJson>.Fail(code, "the document is not a JSON object");

    public Problem Malformed(string member, string what) => new(code, $"{PathOf(member)} {what}");

    public bool Has(string member) => value.TryGetProperty(member, out var v) && v.ValueKind != JsonValueKind.Null;

    public Result<ProtoJson> Object(string member)
    {
        if (!value.TryGetProperty(member, out var v))
            return Malformed(member, "is missing");
        return v.ValueKind == JsonValueKind.Object ? Result<ProtoJson>.Ok(new(v, PathOf(member), code)) : Malformed(member, "is not a JSON object");
    }

    public Result<string> String(string member) =>
        value.TryGetProperty(member, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } text
            ? Result<string>.Ok(text)
            : Malformed(member, "is missing or not a non-empty string");

    /// <summary>A string member that may be absent or empty (protobuf omits empty strings).</summary>
    public Result<string> OptionalString(string member)
    {
        if (!value.TryGetProperty(member, out var v) || v.ValueKind == JsonValueKind.Null)
            return Result<string>.Ok("");
        return v.ValueKind == JsonValueKind.String ? Result<string>.Ok(v.GetString()!) : Malformed(member, "is not a string");
    }

    public Result<byte[]> Bytes(string member, int maxBytes)
    {
        var text = String(member);
        if (!text.IsOk)
            return text.Problem;
        if (text.Value.Length > (maxBytes + 2) / 3 * 4 + 4)
            return Malformed(member, $"is longer than the {maxBytes}-byte limit");
        return TryDecodeBase64(text.Value, out var bytes) ? Result<byte[]>.Ok(bytes) : Malformed(member, "is not base64");
    }

    /// <summary>An int64 member, which the mapping writes as a decimal string (a JSON number is accepted too).</summary>
    public Result<long> Int64(string member)
    {
        if (!value.TryGetProperty(member, out var v))
            return Malformed(member, "is missing");
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var number))
            return Result<long>.Ok(number);
        return v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number)
            ? Result<long>.Ok(number)
            : Malformed(member, "is not a non-negative decimal integer");
    }

    /// <summary>An array member of at most <paramref name="max"/> items; an absent one is empty, as protobuf omits it.</summary>
    public Result<IReadOnlyList<JsonElement>> Array(string member, int max)
    {
        if (!value.TryGetProperty(member, out var v) || v.ValueKind == JsonValueKind.Null)
            return Result<IReadOnlyList<JsonElement>>.Ok([]);
        if (v.ValueKind != JsonValueKind.Array)
            return Malformed(member, "is not an array");
        if (v.GetArrayLength() > max)
            return Malformed(member, $"holds {v.GetArrayLength()} items, more than the {max} allowed");
        return Result<IReadOnlyList<JsonElement>>.Ok([.. v.EnumerateArray()]);
    }

    /// <summary>Array <paramref name="member"/> of at most <paramref name="max"/> objects, each read by <paramref name="read"/>.</summary>
    public Result<IReadOnlyList<T>> List<T>(string member, int max, Func<ProtoJson, Result<T>> read)
    {
        var items = Array(member, max);
        if (!items.IsOk)
            return items.Problem;
        var values = new List<T>(items.Value.Count);
        for (var i = 0; i < items.Value.Count; i++)
        {
            var item = Item(member, i, items.Value[i]);
            var value = item.IsOk ? read(item.Value) : item.Problem;
            if (!value.IsOk)
                return value.Problem;
            values.Add(value.Value);
        }
        return Result<IReadOnlyList<T>>.Ok(values);
    }

    /// <summary>The <paramref name="index"/>th item of array <paramref name="member"/> as an object.</summary>
    public Result<ProtoJson> Item(string member, int index, JsonElement item) =>
        item.ValueKind == JsonValueKind.Object
            ? Result<ProtoJson>.Ok(new(item, $"{PathOf(member)}[{index}]", code))
            : Result<ProtoJson>.Fail(code, $"{PathOf(member)}[{index}] is not a JSON object");

    /// <summary>An RFC 3339 timestamp member (protobuf's Timestamp), absent allowed.</summary>
    public Result<DateTimeOffset?> OptionalTime(string member)
    {
        if (!Has(member))
            return Result<DateTimeOffset?>.Ok(null);
        var text = String(member);
        if (!text.IsOk)
            return text.Problem;
        return DateTimeOffset.TryParse(text.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) && text.Value.Contains('T')
            ? Result<DateTimeOffset?>.Ok(time)
            : Malformed(member, $"is not an RFC 3339 time: '{text.Value}'");
    }

    private string PathOf(string member) => member.Length == 0 ? path : $"{path}.{member}";

    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        var normal = text.Replace('-', '+').Replace('_', '/');
        if (normal.Length % 4 != 0)
            normal = normal.PadRight(normal.Length + 4 - normal.Length % 4, '=');
        bytes = new byte[normal.Length / 4 * 3];
        if (normal.AsSpan().IndexOfAny(" \t\r\n") >= 0 || !Convert.TryFromBase64String(normal, bytes, out var written))
            return false;
        bytes = bytes[..written];
        return true;
    }
}
