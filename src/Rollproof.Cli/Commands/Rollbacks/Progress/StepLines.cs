using System.Globalization;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks.Progress;

/// <summary>The words a run's progress is shown in, the same on a terminal and in a log: <c>[3/12] deploy done in 4.2s</c>.</summary>
internal static class StepLines
{
    /// <summary>At most this much of an output line is shown in progress (the failure message has the tail whole).</summary>
    private const int MaxShown = 200;

    public static string Name(StepInRun step) => $"[{step.Number}/{step.Total}] {step.Id}";

    public static string Started(StepInRun step) => $"{Name(step)} ({step.Uses}) … started";

    public static string Output(StepInRun step, TimeSpan elapsed, string line) => $"{Name(step)} {Elapsed(elapsed)} | {Shorten(line)}";

    public static string Finished(StepInRun step, StepEnd outcome, TimeSpan elapsed) => outcome switch
    {
        StepEnd.Completed => $"{Name(step)} done in {Elapsed(elapsed)}",
        StepEnd.Failed => $"{Name(step)} failed after {Elapsed(elapsed)}",
        _ => $"{Name(step)} interrupted after {Elapsed(elapsed)}",
    };

    public static string Elapsed(TimeSpan elapsed) => elapsed < TimeSpan.FromMinutes(1)
        ? elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
        : $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s";

    public static string Shorten(string line) => line.Length <= MaxShown ? line : line[..MaxShown] + "…";
}
