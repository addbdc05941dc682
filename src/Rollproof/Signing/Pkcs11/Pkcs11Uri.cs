using System.Text;
using Rollproof.Common;

namespace Rollproof.Signing.Pkcs11;

/// <summary>
/// A PKCS#11 URI (RFC 7512) naming a private key in a token: path attributes token, object, id and type (private only),
/// query attributes module-path, pin-source and pin-value. Anything else is refused by name, so a typo never silently
/// selects a different key.
/// </summary>
public sealed record Pkcs11Uri(string? Token, string? Label, byte[]? Id, string? ModulePath, string? PinSource, string? PinValue)
{
    public const string Scheme = "pkcs11:";
    private const int MaxLength = 4096;
    private static readonly HashSet<string> PathAttributes = ["token", "object", "id", "type"];
    private static readonly HashSet<string> QueryAttributes = ["module-path", "pin-source", "pin-value"];

    /// <summary>Never the PIN: a record would otherwise print every property.</summary>
    public override string ToString() => Describe();

    public static bool Looks(string value) => value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    /// <summary>What the URI selects, for messages: never the PIN.</summary>
    public string Describe() => $"token '{Token ?? "(any)"}', object '{Label ?? (Id is null ? "(any)" : Convert.ToHexStringLower(Id))}'";

    /// <summary><paramref name="text"/> without its pin-value query attribute, for command lines that are shown or kept.</summary>
    public static string WithoutPinValue(string text)
    {
        var queryAt = text.IndexOf('?', StringComparison.Ordinal);
        if (!Looks(text) || queryAt < 0)
            return text;
        var kept = text[(queryAt + 1)..].Split('&').Where(pair => !pair.StartsWith("pin-value=", StringComparison.Ordinal)).ToList();
        return kept.Count == 0 ? text[..queryAt] : $"{text[..queryAt]}?{string.Join('&', kept)}";
    }

    public static Result<Pkcs11Uri> Parse(string text)
    {
        if (!Looks(text))
            return Fail($"a PKCS#11 URI starts with '{Scheme}'");
        if (text.Length > MaxLength)
            return Fail($"the PKCS#11 URI is longer than {MaxLength} characters");
        var body = text[Scheme.Length..];
        var queryAt = body.IndexOf('?', StringComparison.Ordinal);
        var path = Attributes(queryAt < 0 ? body : body[..queryAt], ';', PathAttributes, "path");
        if (!path.IsOk)
            return path.Problem;
        var query = Attributes(queryAt < 0 ? "" : body[(queryAt + 1)..], '&', QueryAttributes, "query");
        if (!query.IsOk)
            return query.Problem;
        var p = path.Value;
        var q = query.Value;
        if (p.TryGetValue("type", out var type) && !Encoding.UTF8.GetString(type).Equals("private", StringComparison.Ordinal))
            return Fail("type must be 'private': Rollproof signs with the token's private key");
        if (!p.ContainsKey("object") && !p.ContainsKey("id"))
            return Fail("name the key with object=LABEL or id=%xx...");
        if (q.ContainsKey("pin-source") && q.ContainsKey("pin-value"))
            return Fail("give one of pin-source and pin-value, not both");
        string? Text(Dictionary<string, byte[]> from, string name) => from.TryGetValue(name, out var v) ? Encoding.UTF8.GetString(v) : null;
        return Result<Pkcs11Uri>.Ok(new Pkcs11Uri(Text(p, "token"), Text(p, "object"), p.GetValueOrDefault("id"),
            Text(q, "module-path"), Text(q, "pin-source"), Text(q, "pin-value")));
    }

    // RFC 7512 section 2.3: attributes are name=value pairs; values are percent-encoded bytes (an id is binary).
    private static Result<Dictionary<string, byte[]>> Attributes(string part, char separator, HashSet<string> known, string where)
    {
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (part.Length == 0)
            return Result<Dictionary<string, byte[]>>.Ok(found);
        var unknown = new List<string>();
        foreach (var pair in part.Split(separator))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                return Fail($"an attribute in the {where} is not name=value");
            var name = pair[..equals];
            if (!known.Contains(name))
            {
                unknown.Add(name);
                continue;
            }
            var value = PercentDecode(pair[(equals + 1)..]);
            if (value is null)
                return Fail($"the {where} attribute '{name}' has a broken percent-encoding");
            if (!found.TryAdd(name, value))
                return Fail($"the {where} attribute '{name}' is given twice");
        }
        return unknown.Count == 0
            ? Result<Dictionary<string, byte[]>>.Ok(found)
            : Fail($"unsupported {where} attribute(s) {string.Join(", ", unknown.Select(n => $"'{Printable(n)}'"))}; supported: {string.Join(", ", known)}");
    }

    private static byte[]? PercentDecode(string value)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
                continue;
            }
            if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
                return null;
            bytes.Add(b);
            i += 2;
        }
        return [.. bytes];
    }

    // Only attribute names reach messages, cut short: never a value, which may be a PIN.
    private static string Printable(string text) => text.Length <= 32 ? text : text[..32] + "...";

    private static Problem Fail(string message) => new(ErrorCodes.Pkcs11UriMalformed, message);
}
