using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;

namespace Rollproof.Cli.Commands;

internal static class LogVerifierKeyCommand
{
    public static Command Create(CliContext cli)
    {
        var origin = new Argument<string>("ORIGIN") { Description = "The log's origin, the name its key signs under" };
        var key = new Option<string>("--key") { Description = "The log's key: a key file or a pkcs11: URI naming a key in a token (Ed25519 or ECDSA P-256)", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("verifier-key", "Print the C2SP verifier key of a log key, a file or one in a PKCS#11 token, to give to verifiers (--vkey, --log-key).")
        {
            origin, key, json,
        };
        command.SetAction(parse =>
        {
            var reference = LogKeyReference.Parse(parse.GetValue(key)!);
            var signer = reference.IsOk ? reference.Value.Open(parse.GetValue(origin)!, cli.Defaults.Variable) : reference.Problem;
            if (!signer.IsOk)
                return cli.Fail(signer.Problem, parse.GetValue(json));
            if (parse.GetValue(json))
                cli.WriteJson(new { origin = signer.Value.Name, verifierKey = signer.Value.VerifierKey });
            else
                cli.Out.WriteLine(signer.Value.VerifierKey);
            return ExitCodes.Ok;
        });
        return command;
    }
}
