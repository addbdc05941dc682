using System.CommandLine;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

internal static class RollbackUnlockCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var env = new Option<string>("--env") { Description = "The environment whose lock to release", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why the execution holding it will not be resumed", Required = true };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("unlock", "Release an environment's rollback lock without resuming the execution that holds it: an admin of the policy, with a reason, logged as a lock-override statement") { store, env, reason, json };
        SignedCommand.SetAction(command, cli, store, signer, json, async (parse, opened, key, asJson, cancellation) =>
        {
            var logged = await LockOverride.ReleaseAsync(opened, parse.GetValue(env)!, parse.GetValue(reason)!, key, TimeProvider.System, cancellation);
            if (!logged.IsOk)
                return cli.Fail(logged.Problem, asJson);
            IndexAccess.CatchUpAfterAppend(opened, cli);
            return LoggedOutput.Report(cli, logged.Value, asJson, $"released the lock of {parse.GetValue(env)}: override logged at index {logged.Value.Ref.LogIndex}");
        });
        return command;
    }
}
