using System.Globalization;

namespace Rollproof.Common;

/// <summary>Non-negative decimals as the C2SP formats write them: ASCII digits, no sign, no leading zeroes.</summary>
public static class StrictDecimal
{
    public static bool TryParse(string text, out long value)
    {
        value = 0;
        return text.Length > 0 && text.All(char.IsAsciiDigit) && (text.Length == 1 || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
