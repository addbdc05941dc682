using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Commands.Rollbacks.Progress;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackExecuteCommand
{
    /// <summary><c>execute</c> starts a rollback with a runbook; <c>resume</c> continues one from its journal with the runbook it began with.</summary>
    public static Command Create(CliContext cli, bool resume)
    {
        var store = CommonOptions.Store(cli);
        var request = RollbackCommand.Request();
        var runbook = new Option<string?>("--runbook") { Description = "The runbook (YAML: name, steps of {id, uses, with}; see docs/runbooks.md). Default: the emergency runbook (rollproof runbook default)" };
        var set = RunbookOptions.Set();
        var secret = RunbookOptions.Secret();
        var values = RunbookOptions.Values();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan, every value resolved, and run nothing" };
        var state = RollbackCommand.State();
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = resume
            ? new InterruptibleCommand("resume", "Continue a rollback after a crash or a failed step: completed steps are not run again, the interrupted or failed one is") { store, request, state, json }
            : new InterruptibleCommand("execute", "Run an approved rollback's runbook, journaling every step; only an operator of the request's policy may, one rollback per environment at a time. The run is logged as an execution statement.") { store, request, runbook, set, secret, values, dryRun, state, json };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            string? yaml = null;
            if (!resume)
            {
                var configured = RunbookOptions.ConfiguredValues(opened, parse.GetValue(request), cli.Defaults.Config(parse));
                if (!configured.IsOk)
                    return cli.Fail(configured.Problem, asJson);
                var read = RunbookOptions.Read(parse.GetValue(runbook), parse.GetValue(set), parse.GetValue(secret), parse.GetValue(values), configured.Value);
                if (!read.IsOk)
                    return cli.Fail(read.Problem, asJson);
                yaml = read.Value;
            }
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Log.Config.Origin, opened.Log.Verifier);
            using var interrupt = new OperatorInterrupt(cancellation);
            var executed = await RunDisplay.RunAsync(cli, asJson, progress => RollbackExecutor.ExecuteAsync(opened, parse.GetValue(request), yaml, key, stateFile, !resume && parse.GetValue(dryRun), drill: false, TimeProvider.System, progress, interrupt.Token));
            if (!executed.IsOk)
                return cli.Fail(executed.Problem, asJson);
            return ExecutionOutput.Write(cli, opened, executed.Value, asJson, parse);
        });
        return command;
    }
}
