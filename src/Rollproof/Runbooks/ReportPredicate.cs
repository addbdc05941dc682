using Rollproof.Ledger;

namespace Rollproof.Runbooks;

/// <summary>A step of the run as the report states it: when it started and ended, and how.</summary>
public sealed record ReportedStep(string Id, string Outcome, DateTimeOffset? Started, DateTimeOffset? Ended);

/// <summary>
/// The reconciliation report of a rollback, signed by the operator and logged: what was restored to, the snapshots
/// taken (by digest), every step's timing, what the run's steps recorded as counts (replayed, skipped, …), and who
/// approved.
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
    IReadOnlyList<string> Approvers);
