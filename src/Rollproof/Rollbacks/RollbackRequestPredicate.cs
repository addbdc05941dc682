using Rollproof.Ledger;
using Rollproof.Rollbacks.Risk;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// One end of a rollback: a version, the release statement that signed it, and the statement that put it in place in
/// the environment (<paramref name="Deployment"/>): a deployment, or the completed execution of an earlier rollback to it.
/// </summary>
public sealed record RollbackSide(string Version, StatementRef Release, StatementRef Deployment);

/// <summary>
/// A request to roll an app in an environment back from what runs now to a release deployed there before: why
/// (<paramref name="Reason"/>, one of <see cref="Reasons"/>, and a rationale), the ticket, whether it is an emergency,
/// the digest of attached test results, the policy in force when it was made, and the security analysis of the step
/// (summarised; the full assessment is in the artifact store under <see cref="RiskSummary.AssessmentDigest"/>), and
/// the digest of the vulnerability feed it was analysed with (in the artifact store too; null: no feed), so that
/// anyone can compute the analysis again and refuse a request whose stated risk differs.
/// </summary>
public sealed record RollbackRequestPredicate(
    string Environment,
    string App,
    RollbackSide Current,
    RollbackSide Target,
    string Reason,
    string Rationale,
    string Ticket,
    bool Emergency,
    string? TestResultsDigest,
    StatementRef Policy,
    RiskSummary Risk,
    string? VulnerabilityFeedDigest = null)
{
    public static readonly IReadOnlyList<string> Reasons = ["security-patch", "critical-bug", "performance", "other"];
}

/// <summary>The after-the-fact review of an emergency rollback, by one of the policy's reviewers.</summary>
public sealed record ReviewPredicate(StatementRef Request, string Outcome, string Comment)
{
    public static readonly IReadOnlyList<string> Outcomes = ["accepted", "follow-up-needed"];
}
