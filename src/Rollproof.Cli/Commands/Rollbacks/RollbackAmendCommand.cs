using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary><c>rollproof rollback amend REQUEST --runbook FILE --reason TEXT</c>: an operator's signed, logged correction of a failed execution's runbook (<see cref="RunbookAmendments"/>).</summary>
internal static class RollbackAmendCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var request = RollbackCommand.Request();
        var runbook = new Option<string>("--runbook") { Description = "The corrected runbook; it must pass 'rollproof runbook check'", Required = true };
        var set = RunbookOptions.Set();
        var secret = RunbookOptions.Secret();
        var values = RunbookOptions.Values();
        var reason = new Option<string>("--reason") { Description = "Why the runbook the execution ran was wrong", Required = true };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("amend", """
            Correct the runbook of a rollback whose execution failed because of the runbook's own text: an operator of the
            request's policy signs an amendment (the failed execution, the old and new runbooks' digests, the reason and the
            new runbook), logged as a rollback-amendment statement. 'rollback resume' then runs the corrected runbook if the
            policy lets an operator's amendment stand alone (amendments: { allow: operator }); otherwise it needs approval.
            Example: rollproof rollback amend 42 --store store --runbook fixed.yaml --reason "typo in the image name" --key ops
            """)
        {
            store, request, runbook, set, secret, values, reason, json,
        };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            var id = parse.GetValue(request);
            var configured = RunbookOptions.ConfiguredValues(opened, id, cli.Defaults.Config(parse));
            if (!configured.IsOk)
                return cli.Fail(configured.Problem, asJson);
            var yaml = RunbookOptions.Read(parse.GetValue(runbook), parse.GetValue(set), parse.GetValue(secret), parse.GetValue(values), configured.Value);
            if (!yaml.IsOk)
                return cli.Fail(yaml.Problem, asJson);
            var logged = await RunbookAmendments.AmendAsync(opened, id, yaml.Value, parse.GetValue(reason)!, key, TimeProvider.System, cancellation);
            if (!logged.IsOk)
                return cli.Fail(logged.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            return LoggedOutput.Report(cli, logged.Value, asJson, $"amendment of request {id} logged at index {logged.Value.Ref.LogIndex}; 'rollproof rollback resume {id}' runs the corrected runbook where the policy lets an operator's amendment stand alone");
        });
        return command;
    }
}
