using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary>
/// How an execution (or its plan) is shown: the journal's step ends, or the plan; as text or JSON. Non-zero when a step
/// failed; 130 when the operator interrupted the run, with the command that resumes it.
/// </summary>
internal static class ExecutionOutput
{
    public static int Write(CliContext cli, ReleaseStore store, Execution execution, bool asJson, ParseResult parse)
    {
        var (index, plan, run, logged) = execution;
        if (run is { Interrupted: true })
            return Interrupted(cli, run, asJson, ResumeCommandLine.For(parse, index));
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

    // The run is not over: nothing was logged, and the environment stays locked to this execution until it is resumed.
    private static int Interrupted(CliContext cli, RunResult run, bool asJson, string resume)
    {
        if (asJson)
            cli.WriteJson(new { outcome = "interrupted", step = run.FailedStep, message = run.Failure, resume });
        cli.Error.WriteLine($"interrupted: step {run.FailedStep} was stopped with its processes, and the journal records it; nothing was logged, and the environment stays locked to this execution.");
        cli.Error.WriteLine($"To continue where it stopped, run: {resume}");
        return ExitCodes.Interrupted;
    }
}
