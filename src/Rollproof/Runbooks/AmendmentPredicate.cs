using Rollproof.Trust;

namespace Rollproof.Runbooks;

/// <summary>
/// An operator's correction of the runbook of a rollback whose execution failed (<c>rollback amend</c>): the request,
/// the failed execution, the digest of the runbook that execution ran and of the corrected one, why, and the corrected
/// runbook itself, so the log alone shows what a resume will run.
/// </summary>
public sealed record AmendmentPredicate(StatementRef Request, StatementRef Execution, string OldRunbookDigest, string NewRunbookDigest, string Reason, string Runbook);
