namespace Rollproof.Sigstore.Rekor;

/// <summary>Standard, padded base64 as Rekor's fields carry it; anything else is refused, never guessed at.</summary>
internal static class Base64Field
{
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length / 4 * 3];
        // .NET's decoder skips white space; Rekor's does not, and neither do we.
        if (text.Length % 4 != 0 || text.AsSpan().IndexOfAny(" \t\r\n") >= 0 || !Convert.TryFromBase64String(text, bytes, out var written))
            return false;
        bytes = bytes[..written];
        return true;
    }
}
