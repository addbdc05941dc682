using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Rollproof.Server.Ledger;

/// <summary>
/// An opaque, stable page token: the log index the next page starts scanning from, base64url-encoded. The log only
/// grows and pages run in log order, so a token keeps meaning the same place however much is appended after it.
/// </summary>
public static class PageToken
{
    private const string Prefix = "v1:";
    private const int MaxLength = 64;

    public static string Of(long nextIndex) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + nextIndex.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The index a token names, or null when it is not one this server issued.</summary>
    public static long? Parse(string token)
    {
        if (token.Length > MaxLength || !Base64Url.IsValid(token))
            return null;
        var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
        return text.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && Of(index) == token
            ? index
            : null;
    }
}
