using Rollproof.Ledger;

namespace Rollproof.Queries;

/// <summary>What runs where: the latest deployment of an app to an environment, and since when the log says so.</summary>
public sealed record Deployed(string Environment, string App, string Version, long LogIndex, DateTimeOffset? Since, string? By);

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
