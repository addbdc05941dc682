using System.Diagnostics;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands.Demo;

/// <summary>One line of the demo's timeline: seconds since the demo started, the phase, what happened.</summary>
internal sealed record TimelineEvent(double Seconds, string Phase, string Message);

/// <summary>The demo's timeline, printed as it happens (unless the output is JSON) and kept for the JSON summary.</summary>
internal sealed class Timeline(CliContext cli, bool json)
{
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<TimelineEvent> _events = [];

    public IReadOnlyList<TimelineEvent> Events => _events;

    /// <summary>Records an event now, or at <paramref name="at"/> when it happened earlier (a journaled runbook step).</summary>
    public void Say(string phase, string message, DateTimeOffset? at = null)
    {
        var seconds = at is { } when ? (when - _start).TotalSeconds : _clock.Elapsed.TotalSeconds;
        _events.Add(new TimelineEvent(Math.Round(seconds, 3), phase, message));
        if (!json)
            cli.Out.WriteLine($"[{seconds,7:0.000}s] {phase,-9} {message}");
    }
}
