using Rollproof.Ledger;
using Rollproof.Trust;

namespace Rollproof.Runbooks;

/// <summary>What one step did, as the journal recorded it.</summary>
public sealed record StepRecord(string Id, string Uses, string Outcome, DateTimeOffset? Started, DateTimeOffset? Ended, string? Message, IReadOnlyDictionary<string, string> Evidence);

/// <summary>
/// A run of a rollback's runbook, logged when it ends (completed or failed at a step), signed by the operator: the
/// request it served, the runbook and journal by digest (both in the artifact store), every step's record, and whether
/// it was a drill (a rehearsal in a staging environment, <c>rollproof drill</c>).
/// </summary>
public sealed record ExecutionPredicate(StatementRef Request, string Runbook, string RunbookDigest, string JournalDigest, string Outcome, string? FailedStep, IReadOnlyList<StepRecord> Steps, bool Drill = false);
