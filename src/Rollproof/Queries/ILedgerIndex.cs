using Rollproof.Ledger;

namespace Rollproof.Queries;

/// <summary>
/// What runs where, as the log last put it there: by a deployment (<paramref name="Via"/> <c>deployment</c>), or by a
/// rollback whose execution completed (<c>rollback</c>: <paramref name="LogIndex"/> is the execution, with its
/// <paramref name="Request"/> and reconciliation <paramref name="Report"/> if one was logged). <paramref name="Since"/>
/// is the log's time for that statement, <paramref name="By"/> who signed it, <paramref name="Release"/> the release
/// running, by its artifacts' digests. <paramref name="Unfinished"/> is a rollback there since that did not complete.
/// </summary>
public sealed record Deployed(
    string Environment, string App, string Version, long LogIndex, DateTimeOffset? Since, string? By,
    string Via, long Release, IReadOnlyList<ReleaseArtifact> Artifacts, long? Request, long? Report, UnfinishedRollback? Unfinished);

/// <summary>One of a release's signed artifacts.</summary>
public sealed record ReleaseArtifact(string Name, string Digest);

/// <summary>
/// An execution that ended without completing (failed at <paramref name="Step"/>, or another outcome it states):
/// the version it was rolling back to does not run; what ran before is still what the log last put there.
/// </summary>
public sealed record UnfinishedRollback(long Execution, long Request, string TargetVersion, string Outcome, string? Step, DateTimeOffset? At, string? By)
{
    public override string ToString() => $"rollback to {TargetVersion} {Outcome}{(Step is null ? "" : $" at step {Step}")} (request {Request}, execution {Execution})";
}

/// <summary>One fact of the ledger as queries show it.</summary>
public sealed record LedgerEvent(long LogIndex, string Kind, string? App, string? Environment, string? Version, string? Signer, DateTimeOffset? LoggedAt, string Summary);

/// <summary>A release one of whose files (artifact, SBOM, script) has the digest asked about.</summary>
public sealed record ReleaseHit(string App, string Version, long LogIndex, string File);

/// <summary>
/// The ledger's query index, for the <c>query</c> and <c>rollback list</c> commands. It is derived from the log and
/// nothing else: <see cref="LedgerIndexer"/> feeds it the entries it has not seen, in log order, and a rebuild from
/// the log gives the same rows. It only speeds up looking: no decision, execution or export reads it, so an edited
/// or deleted row can never change one (they read the log, <see cref="LedgerView"/>). SQLite is the embedded
/// default; a server database implements the same contract.
/// </summary>
public interface ILedgerIndex : IDisposable
{
    /// <summary>How many log entries the index has taken in.</summary>
    long IndexedSize { get; }

    /// <summary>Takes in the next entries, all or none, and records the new size.</summary>
    void Apply(IReadOnlyList<LedgerEntry> entries, long newSize);

    IReadOnlyList<Deployed> Environments();

    IReadOnlyList<LedgerEvent> History(string app);

    IReadOnlyList<ReleaseHit> ReleasesContaining(string digest);

    IReadOnlyList<LedgerEvent> ActionsBy(string actor);
}
