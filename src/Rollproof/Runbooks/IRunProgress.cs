using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>How a step's attempt ended, as the engine reports it.</summary>
public enum StepEnd
{
    Completed,
    Failed,
    Interrupted,
}

/// <summary>A step of a run: its place (<see cref="Number"/> of <see cref="Total"/>, from 1), id and kind.</summary>
public sealed record StepInRun(int Number, int Total, string Id, string Uses);

/// <summary>
/// What the engine tells whoever watches a run (a person at a terminal, a log): a step started, a line its programs
/// wrote (secrets it was given already redacted), a step ended. The library only reports; the command line renders.
/// Calls come from the run's own flow and from the threads that read a program's output, so an observer must be safe
/// to call from several threads, and quick: a slow observer slows the step.
/// </summary>
public interface IRunProgress
{
    void StepStarted(StepInRun started);

    void OutputLine(StepInRun running, OutputChannel channel, string line);

    void StepFinished(StepInRun finished, StepEnd outcome, TimeSpan elapsed, string message);
}

/// <summary>An observer that watches nothing, for runs nobody follows.</summary>
public sealed class NoRunProgress : IRunProgress
{
    public static NoRunProgress Instance { get; } = new();

    public void StepStarted(StepInRun started)
    {
    }

    public void OutputLine(StepInRun running, OutputChannel channel, string line)
    {
    }

    public void StepFinished(StepInRun finished, StepEnd outcome, TimeSpan elapsed, string message)
    {
    }
}
