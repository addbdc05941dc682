using Rollproof.Cli.Infrastructure;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks.Policy;
using Rollproof.Trust;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary>
/// What 'policy set', 'approve' and 'reject' print after logging: where the policy change now stands, so a change that
/// is only pending is never reported as if it were in force.
/// </summary>
internal static class PolicyStandingOutput
{
    public static int Report(CliContext cli, ReleaseStore store, string environment, StatementRef change, LoggedStatement logged, string what, bool asJson)
    {
        var standing = PolicyLedger.StandingOf(store, environment, change);
        if (!standing.IsOk)
            return cli.Fail(standing.Problem with { Message = $"{what} logged at log index {logged.Ref.LogIndex}, but {standing.Problem.Message}" }, asJson);
        var s = standing.Value;
        if (asJson)
        {
            cli.WriteJson(new { logIndex = logged.Ref.LogIndex, digest = logged.Ref.Digest, loggedAt = logged.Timestamp.Time, change = change.LogIndex, state = s.InForce ? "in-force" : "pending", needs = s.Needed, mayApprove = s.MayApprove });
            return ExitCodes.Ok;
        }
        var state = s.InForce
            ? $"policy for {environment} at log index {change.LogIndex} is in force"
            : $"policy change at log index {change.LogIndex} is pending, needs {s.Needed} more approval(s) from {(s.MayApprove.Count == 0 ? "nobody left" : string.Join(", ", s.MayApprove))} (admins of the policy in force, log index {s.Governing.LogIndex}): 'rollproof policy approve {change.LogIndex}'";
        cli.Out.WriteLine($"logged {what}: log index {logged.Ref.LogIndex}, logged at {logged.Timestamp.Time:O}; {state}");
        return ExitCodes.Ok;
    }
}
