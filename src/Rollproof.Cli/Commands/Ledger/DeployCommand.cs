using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Ledger;
using Rollproof.Rollbacks;

namespace Rollproof.Cli.Commands.Ledger;

internal static class DeployCommand
{
    public static Command Create(CliContext cli) => new("deploy", "Deployments in the ledger") { Record(cli) };

    private static Command Record(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var env = new Option<string>("--env") { Description = "The environment deployed to, e.g. prod", Required = true };
        var app = new Option<string>("--app") { Description = "The application", Required = true };
        var version = new Option<string>("--version") { Description = "The release deployed; it must verify", Required = true };
        var tool = new Option<string?>("--tool") { Description = "What did the deploying, e.g. 'kubectl' or 'ci: deploy-prod #812'" };
        var state = new Option<string?>("--state") { Description = "This verifier's memory of the last checkpoint it saw (default: ~/.config/rollproof/seen/, per log)" };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("record", "Record a deployment made by another tool (CI, kubectl): verifies the release, then appends a deployment statement signed by your key, which the trust file must allow to sign 'deployment'.")
        {
            store, env, app, version, tool, state, json,
        };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Log.Config.Origin, opened.Log.Verifier);
            var recorded = await DeploymentRecorder.RecordAsync(opened, parse.GetValue(env)!, parse.GetValue(app)!, parse.GetValue(version)!, parse.GetValue(tool), key, stateFile, TimeProvider.System, cancellation);
            if (!recorded.IsOk)
                return cli.Fail(recorded.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            var logged = recorded.Value;
            if (asJson)
                cli.WriteJson(new { environment = parse.GetValue(env), app = parse.GetValue(app), version = parse.GetValue(version), logIndex = logged.Ref.LogIndex, digest = logged.Ref.Digest, loggedAt = logged.Timestamp.Time });
            else
                cli.Out.WriteLine($"recorded {parse.GetValue(app)} {parse.GetValue(version)} as deployed to {parse.GetValue(env)}: log index {logged.Ref.LogIndex}, logged at {logged.Timestamp.Time:O}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
