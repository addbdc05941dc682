using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>
/// A release went live in an environment: recorded by whoever deployed it (CI, an operator), after the release was
/// verified. <paramref name="Tool"/> says what did the deploying (kubectl, a CI job, Rollproof itself).
/// </summary>
public sealed record DeploymentPredicate(string Environment, string App, string Version, StatementRef Release, string? Tool);
