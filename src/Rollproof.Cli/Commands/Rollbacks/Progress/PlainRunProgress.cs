using Rollproof.Common;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks.Progress;

/// <summary>
/// A run's progress as plain lines, for logs, pipes and CI: a line when each step starts and ends, and the step's
/// latest output line at most once per <see cref="Interval"/> while it runs (the first at once), so a long, chatty
/// command shows it is alive without flooding the log.
/// </summary>
internal sealed class PlainRunProgress : IRunProgress, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly TextWriter _writer;
    private readonly TimeProvider _clock;
    private readonly ITimer _timer;
    private StepInRun? _step;
    private long _started;
    private long? _lastShown;
    private string? _pending;

    public PlainRunProgress(TextWriter writer, TimeProvider clock)
    {
        (_writer, _clock) = (writer, clock);
        _timer = clock.CreateTimer(_ => ShowPending(), null, Interval, Interval);
    }

    public void StepStarted(StepInRun started)
    {
        lock (_gate)
        {
            (_step, _started, _lastShown, _pending) = (started, _clock.GetTimestamp(), null, null);
            _writer.WriteLine(StepLines.Started(started));
        }
    }

    public void OutputLine(StepInRun running, OutputChannel channel, string line)
    {
        lock (_gate)
        {
            if (_lastShown is { } shown && _clock.GetElapsedTime(shown) < Interval)
                _pending = line;
            else
                Show(running, line);
        }
    }

    public void StepFinished(StepInRun finished, StepEnd outcome, TimeSpan elapsed, string message)
    {
        lock (_gate)
        {
            (_step, _pending) = (null, null);
            _writer.WriteLine(StepLines.Finished(finished, outcome, elapsed));
        }
    }

    public void Dispose() => _timer.Dispose();

    private void ShowPending()
    {
        lock (_gate)
        {
            if (_step is { } step && _pending is { } line && _lastShown is { } shown && _clock.GetElapsedTime(shown) >= Interval)
                Show(step, line);
        }
    }

    private void Show(StepInRun step, string line)
    {
        _writer.WriteLine(StepLines.Output(step, _clock.GetElapsedTime(_started), line));
        (_lastShown, _pending) = (_clock.GetTimestamp(), null);
    }
}
