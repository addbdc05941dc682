using System.Globalization;

namespace Rollproof.Common;

/// <summary>What a duration is for, and so the longest it may be (and whether 0s means something there).</summary>
public sealed record DurationRange(TimeSpan Max, bool AllowZero = false)
{
    /// <summary>The range and the format in words, for errors and help texts: "from 1s to 1d (…)".</summary>
    public string Rule => $"a duration from {(AllowZero ? "0s" : "1s")} to {Durations.Format(Max)} ({Durations.Rule})";
}

/// <summary>
/// Durations as people write them in policies, runbooks and on the command line: a whole number and s, m, h or d (30s,
/// 48h, 90d), always read into the range its use allows, so a value from outside can never overflow a
/// <see cref="TimeSpan"/>, a timer or a date (docs/runbooks.md and docs/policies.md list the maxima).
/// </summary>
public static class Durations
{
    public const string Rule = "a whole number followed by s, m, h or d, e.g. 48h";

    /// <summary>A runbook step's timeout, grace or latency: at most a day, well inside the ~24.8 days a timer can wait.</summary>
    public static readonly DurationRange StepWait = new(TimeSpan.FromDays(1));

    /// <summary>A canary's dwell at each traffic step: as a step's wait, and 0s goes straight through.</summary>
    public static readonly DurationRange StepDwell = StepWait with { AllowZero = true };

    /// <summary>How long an approval counts (<c>--expires-in</c>): at most 90 days; an approval meant for longer is a policy.</summary>
    public static readonly DurationRange ApprovalExpiry = new(TimeSpan.FromDays(90));

    /// <summary>A policy's windows (a target's <c>maxAge</c>, an emergency's <c>reviewWithin</c>) and artifact retention: at most 10 years.</summary>
    public static readonly DurationRange PolicyWindow = new(TimeSpan.FromDays(3650));

    /// <summary>How long the log server waits for a witness, or before asking again for a withheld checkpoint: at most 10 minutes.</summary>
    public static readonly DurationRange WitnessWait = new(TimeSpan.FromMinutes(10));

    private static readonly (char Unit, long Ticks)[] Units = [('d', TimeSpan.TicksPerDay), ('h', TimeSpan.TicksPerHour), ('m', TimeSpan.TicksPerMinute), ('s', TimeSpan.TicksPerSecond)];

    /// <summary>The duration <paramref name="text"/> says, or a problem saying it is not one within <paramref name="range"/>.</summary>
    public static Result<TimeSpan> Parse(string text, DurationRange range)
    {
        var unit = text.Length < 2 ? default : Units.FirstOrDefault(u => u.Unit == text[^1]);
        // Compared in the unit as written, so a huge number is refused rather than overflowing into ticks.
        if (unit.Ticks == 0 || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount > range.Max.Ticks / unit.Ticks || (amount == 0 && !range.AllowZero))
            return Result<TimeSpan>.Fail(ErrorCodes.InputMalformed, $"'{text}' is not {range.Rule}");
        return Result<TimeSpan>.Ok(TimeSpan.FromTicks(amount * unit.Ticks));
    }

    /// <summary>A duration as <see cref="Parse"/> reads it, in the largest unit that divides it (90d, 36h).</summary>
    public static string Format(TimeSpan duration)
    {
        var largest = Units.First(u => duration.Ticks % u.Ticks == 0 || u.Unit == 's');
        return (duration.Ticks / largest.Ticks).ToString(CultureInfo.InvariantCulture) + largest.Unit;
    }
}
