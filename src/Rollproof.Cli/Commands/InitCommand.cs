using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands;

internal static class InitCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = new Argument<string>("DIR") { Description = "A new or empty directory for the store: log/, artifacts/, releases/" };
        var origin = new Option<string>("--origin") { Description = "The log's origin, e.g. example.com/releases", Required = true };
        var logKey = new Option<string>("--log-key") { Description = "The log's signer-key file (make one with 'rollproof log keygen ORIGIN -o FILE')", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("init", "Create a Rollproof store: a transparency log, a content-addressed artifact store and release records.")
        {
            dir, origin, logKey, json,
        };
        command.SetAction(parse =>
        {
            var store = ReleaseStore.Init(parse.GetValue(dir)!, parse.GetValue(origin)!, parse.GetValue(logKey)!);
            if (!store.IsOk)
                return cli.Fail(store.Problem, parse.GetValue(json));
            if (parse.GetValue(json))
                cli.WriteJson(new { store = store.Value.Root, origin = store.Value.Log.Config.Origin, logVerifierKey = store.Value.Log.Config.VerifierKey });
            else
                cli.Out.WriteLine($"created store in {store.Value.Root}\nlog verifier key: {store.Value.Log.Config.VerifierKey}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
