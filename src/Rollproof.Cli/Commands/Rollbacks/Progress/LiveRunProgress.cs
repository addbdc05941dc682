using Rollproof.Common;
using Rollproof.Runbooks;
using Spectre.Console;

namespace Rollproof.Cli.Commands.Rollbacks.Progress;

/// <summary>
/// A run's progress on a terminal: one live status line with the step, its elapsed time and its latest output line,
/// refreshed every second; a line is left above it as each step ends.
/// </summary>
internal sealed class LiveRunProgress(IAnsiConsole console, StatusContext status, TimeProvider clock) : IRunProgress
{
    private readonly Lock _gate = new();
    private StepInRun? _step;
    private long _started;
    private string _last = "";

    public void StepStarted(StepInRun started)
    {
        lock (_gate)
            (_step, _started, _last) = (started, clock.GetTimestamp(), "");
        Refresh();
    }

    public void OutputLine(StepInRun running, OutputChannel channel, string line)
    {
        lock (_gate)
            _last = line;
    }

    public void StepFinished(StepInRun finished, StepEnd outcome, TimeSpan elapsed, string message)
    {
        lock (_gate)
            _step = null;
        var colour = outcome == StepEnd.Completed ? "green" : outcome == StepEnd.Failed ? "red" : "yellow";
        console.MarkupLine($"[{colour}]{Markup.Escape(StepLines.Finished(finished, outcome, elapsed))}[/]");
    }

    /// <summary>Redraws the status line; called when a step starts and every second by <see cref="RunDisplay"/>.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            if (_step is not { } step)
                return;
            var text = $"{StepLines.Name(step)} ({step.Uses}) {StepLines.Elapsed(clock.GetElapsedTime(_started))}";
            var width = Math.Max(20, console.Profile.Width - text.Length - 8);
            status.Status(Markup.Escape(_last.Length == 0 ? text : $"{text} | {(_last.Length <= width ? _last : _last[..width] + "…")}"));
        }
    }
}
