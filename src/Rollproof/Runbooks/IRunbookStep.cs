namespace Rollproof.Runbooks;

/// <summary>What a step knows of the rollback it serves: values to substitute (<c>{{target.version}}</c>, …) and where to keep its files.</summary>
public sealed record StepContext(IReadOnlyDictionary<string, string> Values, string WorkDirectory, TimeProvider Clock);

/// <summary>How a step ended: done, with evidence (digests, counts, captured output), or failed, with the reason.</summary>
public sealed record StepOutcome(bool Succeeded, string Message, IReadOnlyDictionary<string, string> Evidence)
{
    public static StepOutcome Done(string message, IReadOnlyDictionary<string, string> evidence) => new(true, message, evidence);

    public static StepOutcome Failed(string message, IReadOnlyDictionary<string, string>? evidence = null) => new(false, message, evidence ?? new Dictionary<string, string>());
}

/// <summary>
/// A kind of runbook step. Steps must be idempotent: after a crash the step that was under way runs again, and must
/// reach the same state without doing its work twice.
/// </summary>
public interface IRunbookStep
{
    string Uses { get; }

    /// <summary>What the step would do, every template resolved, for --dry-run.</summary>
    string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context);

    Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation);
}
