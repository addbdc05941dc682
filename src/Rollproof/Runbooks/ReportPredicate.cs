using Rollproof.Ledger;
using Rollproof.Trust;

namespace Rollproof.Runbooks;

/// <summary>A step of the run as the report states it: when it started and ended, and how.</summary>
public sealed record ReportedStep(string Id, string Outcome, DateTimeOffset? Started, DateTimeOffset? Ended);

/// <summary>
/// Rows of one database table when the snapshot was taken and when the report was made; null where the table did not
/// exist then, or the database could not be counted again.
/// </summary>
public sealed record TableRows(string Database, string Table, long? Before, long? After);

/// <summary>
/// The reconciliation report of a rollback, signed by the operator and logged: what was restored to, the snapshots
/// taken (by digest), every step's timing, what the run's steps recorded as counts (replayed, skipped, …), who
/// approved, and the rows of each snapshotted database's tables before and after.
/// </summary>
public sealed record ReportPredicate(
    StatementRef Request,
    string App,
    string Environment,
    string From,
    string To,
    IReadOnlyDictionary<string, string> Snapshots,
    IReadOnlyList<ReportedStep> Steps,
    IReadOnlyDictionary<string, string> Counts,
    IReadOnlyList<string> Approvers,
    IReadOnlyList<TableRows>? Rows = null);
