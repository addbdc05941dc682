using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>
/// One attempt at one step, as the engine watches it: tells the observer it started, passes on each line its programs
/// write with the step's secrets blanked (<see cref="StepSecrets"/>) and keeps their tail (<see cref="OutputTail"/>),
/// and at the end blanks the secrets out of its outcome, adds the tail to a failure's message, and tells the observer
/// how it ended and how long it took (by the run's clock).
/// </summary>
internal sealed class StepWatch
{
    private readonly StepInRun _step;
    private readonly StepSecrets _secrets;
    private readonly IRunProgress _progress;
    private readonly TimeProvider _clock;
    private readonly OutputTail _tail = new();
    private readonly long _started;

    public StepWatch(StepInRun step, IReadOnlyDictionary<string, string> parameters, IRunProgress progress, TimeProvider clock)
    {
        (_step, _secrets, _progress, _clock) = (step, StepSecrets.Of(parameters), progress, clock);
        _started = clock.GetTimestamp();
        progress.StepStarted(step);
    }

    public void Line(OutputChannel stream, string line)
    {
        var shown = _secrets.Redact(line);
        _tail.Add(shown);
        _progress.OutputLine(_step, stream, shown);
    }

    /// <summary>The outcome as it may be journaled and shown.</summary>
    public StepOutcome Finished(StepOutcome outcome)
    {
        var kept = _secrets.Redact(outcome);
        if (!kept.Succeeded)
            kept = kept with { Message = WithTail(kept.Message) };
        _progress.StepFinished(_step, kept.Succeeded ? StepEnd.Completed : StepEnd.Failed, _clock.GetElapsedTime(_started), kept.Message);
        return kept;
    }

    /// <summary>The message of the record that says the step was interrupted.</summary>
    public string Interrupted()
    {
        var message = WithTail("interrupted (SIGINT or SIGTERM) while under way; its processes were stopped, and a resume runs the step again");
        _progress.StepFinished(_step, StepEnd.Interrupted, _clock.GetElapsedTime(_started), message);
        return message;
    }

    private string WithTail(string message) => _tail.ToString() is { Length: > 0 } tail ? $"{message}\noutput (last lines):\n{tail}" : message;
}
