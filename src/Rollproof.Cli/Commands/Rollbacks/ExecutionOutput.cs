using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary>How an execution (or its plan) is shown: the journal's step ends, or the plan; as text or JSON. Non-zero when a step failed.</summary>
internal static class ExecutionOutput
{
    public static int Write(CliContext cli, ReleaseStore store, Execution execution, bool asJson)
    {
        var (index, plan, run, logged) = execution;
        if (logged is not null)
            IndexAccess.CatchUpAfterAppend(store, cli);
        if (asJson)
            cli.WriteJson(new
            {
                request = index, plan, outcome = run is null ? "planned" : run.FailedStep is null ? "completed" : "failed", failedStep = run?.FailedStep, failure = run?.Failure,
                journal = run?.Journal.Select(r => new { step = r.Step, @event = r.Event, at = r.At, message = r.Message }), logIndex = logged?.Ref.LogIndex,
            });
        else
        {
            foreach (var line in run is null ? plan : run.Journal.Where(r => r.Event != StepEvent.Started).Select(r => $"{r.At:HH:mm:ss} {r.Step}: {r.Event.ToString().ToLowerInvariant()} — {r.Message}"))
                cli.Out.WriteLine(line);
            if (logged is not null)
                cli.Out.WriteLine($"execution logged at index {logged.Ref.LogIndex}");
        }
        return run?.FailedStep is null ? ExitCodes.Ok : cli.Fail(ErrorCodes.StepFailed, $"step {run.FailedStep} failed: {run.Failure}; if the cause lies outside the runbook, fix it and run 'rollproof rollback resume {index}'; if the runbook's own text is wrong, a resume fails the same way: record the correction with 'rollproof rollback amend {index} --runbook FILE --reason TEXT' (docs/rollbacks.md)", false);
    }
}
