namespace Rollproof.Runbooks;

public enum StepEvent
{
    Started,
    Completed,
    Failed,
}

/// <summary>One line of an execution's journal: a step started, completed with its evidence, or failed with the reason.</summary>
public sealed record JournalRecord(string Step, StepEvent Event, DateTimeOffset At, string? Message, IReadOnlyDictionary<string, string>? Evidence);
