using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Storage;

namespace Rollproof.Cli.Commands;

internal static class LogInitCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = new Argument<string>("DIR") { Description = "A new or empty directory to hold the log" };
        var origin = new Option<string>("--origin") { Description = "The log's origin, e.g. example.com/releases; also the name of its signing key", Required = true };
        var key = new Option<string>("--key") { Description = "The log's key: a key file (a signer-key string PRIVATE+KEY+…, see 'log keygen', or a PKCS#8 PEM key, Ed25519 or ECDSA P-256) or a pkcs11: URI naming a key in a token, its PIN from pin-source=file: or $ROLLPROOF_PKCS11_PIN (never pin-value: the log keeps the URI)", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("init", "Create a log and publish its signed empty checkpoint. The key stays where it is (a file or a PKCS#11 token); the log records where, never a PIN.")
        {
            dir, origin, key, json,
        };
        command.SetAction(parse =>
        {
            var log = LogDirectory.Init(parse.GetValue(dir)!, parse.GetValue(origin)!, parse.GetValue(key)!);
            if (!log.IsOk)
                return cli.Fail(log.Problem, parse.GetValue(json));
            var result = new { dir = log.Value.Path, origin = log.Value.Config.Origin, verifierKey = log.Value.Config.VerifierKey };
            if (parse.GetValue(json))
                cli.WriteJson(result);
            else
                cli.Out.WriteLine($"created log '{result.origin}' in {result.dir}\nverifier key: {result.verifierKey}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
