using System.Text;

namespace Rollproof.Testing;

/// <summary>JSON with a string that is not text, the two ways the fuzzer found: a raw invalid UTF-8 byte, or an escaped lone surrogate.</summary>
public static class NotText
{
    public const string InvalidUtf8 = "invalid UTF-8";
    public const string LoneSurrogate = "lone surrogate";

    /// <summary><paramref name="json"/> with <c>@</c> replaced by what is not text, of <paramref name="kind"/>.</summary>
    public static byte[] In(string json, string kind)
    {
        var at = json.IndexOf('@', StringComparison.Ordinal);
        byte[] bad = kind == InvalidUtf8 ? [0xFF] : "\\ud800"u8.ToArray();
        return [.. Encoding.UTF8.GetBytes(json[..at]), .. bad, .. Encoding.UTF8.GetBytes(json[(at + 1)..])];
    }
}
