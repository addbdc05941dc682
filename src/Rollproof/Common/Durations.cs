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

    /// <summary>A duration as <see cref="Parse"/> reads it, in the largest unit that divides it (90d, 36h).</summary>
    public static string Format(TimeSpan duration)
    {
        (char Unit, long Ticks)[] units = [('d', TimeSpan.TicksPerDay), ('h', TimeSpan.TicksPerHour), ('m', TimeSpan.TicksPerMinute), ('s', TimeSpan.TicksPerSecond)];
        var largest = units.First(u => duration.Ticks % u.Ticks == 0 || u.Unit == 's');
        return (duration.Ticks / largest.Ticks).ToString(CultureInfo.InvariantCulture) + largest.Unit;
    }
}
