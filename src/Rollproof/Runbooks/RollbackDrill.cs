using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;

namespace Rollproof.Runbooks;

/// <summary>
/// A rehearsal of a rollback in a staging environment, recorded like the real thing: a rollback request (reason
/// other, the rationale saying it is a drill) filed by the drill's runner, executed at once with the runbook, and the
/// execution logged with <c>drill: true</c>. It runs only where the environment's policy lets a request through
/// without approvals (<c>approvals.required: 0</c>), which is what makes an environment one to drill in; elsewhere the
/// request is left for approval and the drill says so.
/// </summary>
public static class RollbackDrill
{
    public static async Task<Result<Execution>> RunAsync(ReleaseStore store, string environment, string? app, string targetVersion, string ticket, string runbookYaml, IStatementSigner runner, string stateFile, TimeProvider clock, IRunProgress progress, CancellationToken cancellation)
    {
        // A runbook the execution would refuse is refused before a request is filed for it.
        if (RunbookCheck.Check(runbookYaml) is { IsOk: false } unusable)
            return unusable.Problem;
        var filed = await RollbackRequester.RequestAsync(store, new RollbackAsk(environment, app, targetVersion, "other",
            $"drill: rehearsal of the rollback runbook in {environment}", ticket, false, null, null), runner, stateFile, clock, cancellation);
        if (!filed.IsOk)
            return filed.Problem;
        var request = filed.Value.Logged.Ref.LogIndex;
        if (filed.Value.Decision.Status != DecisionStatus.Approved)
            return Result<Execution>.Fail(ErrorCodes.NotApproved,
                $"drill request {request} in {environment} needs approvals ({string.Join("; ", filed.Value.Decision.Unmet.Select(r => r.Detail))}): drills run where the policy requires none (approvals.required: 0); otherwise approve {request} and run 'rollproof rollback execute {request}'");
        return await RollbackExecutor.ExecuteAsync(store, request, runbookYaml, runner, stateFile, dryRun: false, drill: true, clock, progress, cancellation);
    }
}
