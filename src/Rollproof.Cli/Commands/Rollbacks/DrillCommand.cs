using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary><c>rollproof drill</c>: rehearse a rollback in a staging environment, logged as a drill (see <see cref="RollbackDrill"/>).</summary>
internal static class DrillCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var env = new Option<string>("--env") { Description = "The staging environment to rehearse in; its policy must need no approvals (approvals.required: 0)", Required = true };
        var app = new Option<string?>("--app") { Description = "The application (needed only when the environment runs more than one)" };
        var to = new Option<string>("--to") { Description = "The version to roll back to, deployed to the environment before", Required = true };
        var ticket = new Option<string>("--ticket") { Description = "The ticket the drill is recorded under", DefaultValueFactory = _ => "DRILL-" + DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) };
        var runbook = new Option<string?>("--runbook") { Description = "The runbook to rehearse (default: the emergency runbook, rollproof runbook default)" };
        var set = RunbookOptions.Set();
        var secret = RunbookOptions.Secret();
        var values = RunbookOptions.Values();
        var state = RollbackCommand.State();
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("drill", """
            Rehearse a rollback in a staging environment, for real and on the record: files a rollback request (reason
            other, a drill's rationale), runs the runbook at once, and logs the execution marked as a drill. The key must
            be a requester and an operator there. Rehearsals are evidence too: they show up in query and evidence export.
            """)
        {
            store, env, app, to, ticket, runbook, set, secret, values, state, json,
        };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            var configured = cli.Defaults.Config(parse).ValuesFor(parse.GetValue(env)!);
            var yaml = RunbookOptions.Read(parse.GetValue(runbook), parse.GetValue(set), parse.GetValue(secret), parse.GetValue(values), configured);
            if (!yaml.IsOk)
                return cli.Fail(yaml.Problem, asJson);
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Log.Config.Origin, opened.Log.Verifier);
            var drilled = await RollbackDrill.RunAsync(opened, parse.GetValue(env)!, parse.GetValue(app), parse.GetValue(to)!, parse.GetValue(ticket)!, yaml.Value, key, stateFile, TimeProvider.System, cancellation);
            return drilled.IsOk ? ExecutionOutput.Write(cli, opened, drilled.Value, asJson) : cli.Fail(drilled.Problem, asJson);
        });
        return command;
    }
}
