using System.Globalization;

namespace Rollproof.Common;

/// <summary>Durations as people write them in policies, runbooks and on the command line: a positive whole number and s, m, h or d (30s, 48h, 90d).</summary>
public static class Durations
{
    public const string Rule = "a positive number followed by s, m, h or d, e.g. 48h";

    public static TimeSpan? Parse(string text)
    {
        if (text.Length < 2 || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return null;
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
    }
}
