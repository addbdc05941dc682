namespace Rollproof.Runbooks;

/// <summary>
/// What a step knows of the rollback it serves: values to substitute (<c>{{target.version}}</c>, …), where to keep its
/// files, and, when it runs for a rollback, the store (artifacts, releases), the request and its policy, and what the
/// steps before it recorded in the journal (a snapshot's digests, for instance).
/// </summary>
public sealed record StepContext(IReadOnlyDictionary<string, string> Values, string WorkDirectory, TimeProvider Clock)
{
    public RollbackScope? Rollback { get; init; }

    public IReadOnlyDictionary<string, JournalRecord> Completed { get; init; } = new Dictionary<string, JournalRecord>();

    /// <summary>Every journal record so far, in order: starts, ends and failures.</summary>
    public IReadOnlyList<JournalRecord> Journal { get; init; } = [];

    /// <summary>The steps of the runbook this step belongs to (a canary's gate runs its verify steps again).</summary>
    public IReadOnlyList<RunbookStep> RunbookSteps { get; init; } = [];

    /// <summary>How many times this step has started in this execution, this time included: more than 1 after a crash or a failure.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Where the programs a step runs send each line they write, as they write it (to watch the run and keep its tail); null when nobody listens.</summary>
    public Action<Common.OutputChannel, string>? OnOutput { get; init; }
}

/// <summary>
/// The rollback a step serves: its store, request (its log index and reference) and the policy it was made under, the
/// approvers the decision counted, the operator's key, which signs what the run logs, and its releases, which steps
/// take only as verified from the log.
/// </summary>
public sealed record RollbackScope(Releases.ReleaseStore Store, long RequestIndex, Trust.StatementRef RequestRef, Rollbacks.RollbackRequestPredicate Request, Rollbacks.Policy.RollbackPolicy Policy, IReadOnlyList<string> Approvers, Signing.IStatementSigner Operator, RollbackReleases Releases);

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

    /// <summary>The <c>{{name}}</c>s the step fills itself in its parameters, beyond the rollback's values (a deploy's <c>{{dir}}</c>).</summary>
    IReadOnlyCollection<string> OwnValues => [];

    /// <summary>What the step would do, every template resolved, for --dry-run.</summary>
    string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context);

    Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation);
}
