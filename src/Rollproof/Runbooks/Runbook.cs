namespace Rollproof.Runbooks;

/// <summary>One step of a runbook: its id (unique in the runbook, the journal's key), the kind of step it uses, and its parameters.</summary>
public sealed record RunbookStep(string Id, string Uses, IReadOnlyDictionary<string, string> With)
{
    /// <summary>The line of each parameter in the runbook's text, for errors that name it (0 when not read from text).</summary>
    public IReadOnlyDictionary<string, int> Lines { get; init; } = new Dictionary<string, int>();
}

/// <summary>A named list of steps, run in order; each step is idempotent, so a step interrupted by a crash runs again on resume.</summary>
public sealed record Runbook(string Name, IReadOnlyList<RunbookStep> Steps);
