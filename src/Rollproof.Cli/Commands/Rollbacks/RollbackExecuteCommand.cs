using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackExecuteCommand
{
    /// <summary><c>execute</c> starts a rollback with a runbook; <c>resume</c> continues one from its journal with the runbook it began with.</summary>
    public static Command Create(CliContext cli, bool resume)
    {
        var store = RollbackCommand.Store();
        var request = RollbackCommand.Request();
        var runbook = new Option<string>("--runbook") { Description = "The runbook (YAML: name, steps of {id, uses, with}; see docs/runbooks.md)", Required = !resume };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan, every value resolved, and run nothing" };
        var state = RollbackCommand.State();
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = resume
            ? new Command("resume", "Continue a rollback after a crash or a failed step: completed steps are not run again, the interrupted or failed one is") { store, request, state, json }
            : new Command("execute", "Run an approved rollback's runbook, journaling every step; only an operator of the request's policy may, one rollback per environment at a time. The run is logged as an execution statement.") { store, request, runbook, dryRun, state, json };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            string? yaml = null;
            if (!resume)
            {
                var read = LogAccess.ReadInput(parse.GetValue(runbook)!, RunbookYaml.MaxSize, "runbook");
                if (!read.IsOk)
                    return cli.Fail(read.Problem, asJson);
                yaml = System.Text.Encoding.UTF8.GetString(read.Value);
            }
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Log.Config.VerifierKey);
            var executed = await RollbackExecutor.ExecuteAsync(opened, parse.GetValue(request), yaml, key, stateFile, !resume && parse.GetValue(dryRun), TimeProvider.System, cancellation);
            if (!executed.IsOk)
                return cli.Fail(executed.Problem, asJson);
            var (index, plan, run, logged) = executed.Value;
            if (logged is not null)
                IndexAccess.CatchUpAfterAppend(opened, cli);
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
            return run?.FailedStep is null ? ExitCodes.Ok : cli.Fail(ErrorCodes.StepFailed, $"step {run.FailedStep} failed: {run.Failure}; fix the cause and run 'rollproof rollback resume {index}'", false);
        });
        return command;
    }
}
