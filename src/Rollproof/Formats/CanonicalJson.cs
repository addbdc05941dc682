using System.Globalization;
using System.Text;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Formats;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence of a JSON value that is hashed or signed.
/// Object members sorted by their UTF-16 code units, no whitespace, minimal string escaping, and numbers written as
/// ECMAScript writes IEEE 754 doubles.
/// </summary>
public static class CanonicalJson
{
    public const int MaxInputSize = 16 << 20;
    private const int MaxDepth = 64;

    /// <summary>Canonicalizes JSON text; rejects what I-JSON forbids (duplicate names, numbers beyond doubles, lone surrogates).</summary>
    public static Result<byte[]> Canonicalize(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxInputSize)
            return Fail($"JSON is {json.Length} bytes, more than the {MaxInputSize}-byte limit");
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
            return Canonicalize(document.RootElement);
        }
        catch (JsonException e)
        {
            return Fail($"not valid JSON: {e.Message}");
        }
    }

    public static Result<byte[]> Canonicalize(JsonElement value)
    {
        var output = new StringBuilder();
        try
        {
            var problem = Write(value, output, "$");
            return problem is null ? Result<byte[]>.Ok(Encoding.UTF8.GetBytes(output.ToString())) : Result<byte[]>.Fail(problem);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json refuses to decode an escaped lone surrogate, which I-JSON forbids too.
            return Fail($"a string cannot be decoded: {e.Message}");
        }
    }

    /// <summary>ECMAScript's Number.prototype.toString for a finite double (RFC 8785 section 3.2.2.3).</summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), "NaN and infinities have no JSON form");
        if (value == 0)
            return "0"; // also -0
        var sign = value < 0 ? "-" : "";
        var (digits, n) = ShortestDigits(Math.Abs(value));
        var k = digits.Length;
        string body;
        if (k <= n && n <= 21)
            body = digits + new string('0', n - k);
        else if (0 < n && n <= 21)
            body = digits[..n] + "." + digits[n..];
        else if (-6 < n && n <= 0)
            body = "0." + new string('0', -n) + digits;
        else
        {
            var exponent = n - 1;
            var mantissa = k == 1 ? digits : digits[..1] + "." + digits[1..];
            body = mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture);
        }
        return sign + body;
    }

    // The shortest digit string s and position n with value = 0.s × 10^n; .NET's "R" format is already shortest.
    private static (string Digits, int N) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = text.IndexOfAny(['E', 'e']);
        var exponent = exponentAt < 0 ? 0 : int.Parse(text[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? text : text[..exponentAt];
        var point = mantissa.IndexOf('.');
        var integer = point < 0 ? mantissa : mantissa[..point];
        var digits = integer + (point < 0 ? "" : mantissa[(point + 1)..]);
        var n = integer.Length + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        return (digits, n - leading);
    }

    private static Problem? Write(JsonElement value, StringBuilder output, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<(string Name, JsonElement Value)>();
                foreach (var member in value.EnumerateObject())
                    members.Add((member.Name, member.Value));
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                output.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0 && members[i].Name == members[i - 1].Name)
                        return new Problem(ErrorCodes.InputMalformed, $"{path}: member '{members[i].Name}' appears twice");
                    if (i > 0)
                        output.Append(',');
                    var problem = WriteString(members[i].Name, output, path);
                    if (problem is not null)
                        return problem;
                    output.Append(':');
                    problem = Write(members[i].Value, output, $"{path}.{members[i].Name}");
                    if (problem is not null)
                        return problem;
                }
                output.Append('}');
                return null;
            case JsonValueKind.Array:
                output.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index > 0)
                        output.Append(',');
                    var problem = Write(item, output, $"{path}[{index++}]");
                    if (problem is not null)
                        return problem;
                }
                output.Append(']');
                return null;
            case JsonValueKind.String:
                return WriteString(value.GetString()!, output, path);
            case JsonValueKind.Number:
                if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
                    return new Problem(ErrorCodes.InputMalformed, $"{path}: number {value.GetRawText()} is beyond IEEE 754 double precision range");
                output.Append(FormatNumber(number));
                return null;
            case JsonValueKind.True:
                output.Append("true");
                return null;
            case JsonValueKind.False:
                output.Append("false");
                return null;
            default:
                output.Append("null");
                return null;
        }
    }

    private static Problem? WriteString(string text, StringBuilder output, string path)
    {
        output.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                output.Append(c).Append(text[++i]);
                continue;
            }
            if (char.IsSurrogate(c))
                return new Problem(ErrorCodes.InputMalformed, $"{path}: string has a lone surrogate U+{(int)c:X4}");
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20)
                        output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        output.Append(c);
                    break;
            }
        }
        output.Append('"');
        return null;
    }

    private static Result<byte[]> Fail(string message) => Result<byte[]>.Fail(ErrorCodes.InputMalformed, message);
}
