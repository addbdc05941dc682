using System.Globalization;
using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>
/// The step parameters that are durations or counts, with the same meaning and range in every step that takes them
/// (docs/runbooks.md): checked when a runbook is read, so a dry run fails on them with the line, and read again in the
/// range when a step runs, so no value from a file can overflow a timer.
/// </summary>
public static class StepParameters
{
    /// <summary>The most times a verify step tries (<c>attempts</c>), a second apart.</summary>
    public const int MaxAttempts = 100;

    private static readonly Dictionary<string, DurationRange> Waits = new(StringComparer.Ordinal)
    {
        ["timeout"] = Durations.StepWait, ["grace"] = Durations.StepWait, ["latency"] = Durations.StepWait, ["dwell"] = Durations.StepDwell,
    };

    /// <summary>Why <paramref name="value"/> is not a valid <paramref name="name"/>; null when it is, or when the parameter is neither a duration nor a count.</summary>
    public static string? Check(string name, string value)
    {
        if (Waits.TryGetValue(name, out var range))
        {
            var duration = Durations.Parse(value, range);
            return duration.IsOk ? null : duration.Problem.Message;
        }
        return name == "attempts" && Attempts(value) is null ? $"'{value}' is not a whole number from 1 to {MaxAttempts}" : null;
    }

    /// <summary>The duration parameter <paramref name="name"/> (timeout, grace, latency, dwell), or <paramref name="fallback"/> when it is not given.</summary>
    public static Result<TimeSpan> Duration(IReadOnlyDictionary<string, string> parameters, string name, TimeSpan fallback)
    {
        if (!parameters.TryGetValue(name, out var text))
            return Result<TimeSpan>.Ok(fallback);
        var duration = Durations.Parse(text, Waits[name]);
        return duration.IsOk ? duration : duration.Problem with { Message = $"{name} {duration.Problem.Message}" };
    }

    /// <summary>How many times to try: <c>attempts</c>, from 1 to <see cref="MaxAttempts"/>, default 5.</summary>
    public static int? Attempts(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxAttempts ? n : null;
}
