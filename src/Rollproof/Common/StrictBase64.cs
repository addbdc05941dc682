namespace Rollproof.Common;

/// <summary>Standard base64 with padding, in its one canonical spelling: no whitespace, no stray bits.</summary>
public static class StrictBase64
{
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0)
            return false;
        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
            return false;
        bytes = buffer[..written];
        return Convert.ToBase64String(bytes) == text;
    }
}
