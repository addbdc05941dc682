namespace Rollproof.Runbooks;

public enum StepEvent
{
    Started,
    Completed,
    Failed,

    /// <summary>The operator stopped the run (SIGINT, SIGTERM) while the step was under way or about to start: its processes were stopped, and a resume runs it again.</summary>
    Interrupted,
}

/// <summary>One line of an execution's journal: a step started, completed with its evidence, failed with the reason, or was interrupted.</summary>
public sealed record JournalRecord(string Step, StepEvent Event, DateTimeOffset At, string? Message, IReadOnlyDictionary<string, string>? Evidence);
