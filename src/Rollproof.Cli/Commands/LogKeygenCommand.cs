using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;
using Rollproof.Storage;

namespace Rollproof.Cli.Commands;

internal static class LogKeygenCommand
{
    public static Command Create(CliContext cli)
    {
        var name = new Argument<string>("NAME") { Description = "The key name: a log's origin (example.com/log) or a witness name" };
        var cosigner = new Option<bool>("--cosigner") { Description = "Make a witness cosigning key (tlog-cosignature v1, type 0x04) instead of a log key" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the signer key to this new file (mode 0600) and print only the verifier key" };
        var json = CommonOptions.Json();
        var command = new Command("keygen", "Generate an Ed25519 note key: prints the signer key (secret) and the verifier key, one per line.")
        {
            name, cosigner, output, json,
        };
        command.SetAction(parse =>
        {
            var keyName = parse.GetValue(name)!;
            if (!NoteKeyId.IsValidName(keyName))
                return cli.Fail(Common.ErrorCodes.SignerKeyMalformed, $"key name '{keyName}' must be non-empty and contain no spaces or '+'", parse.GetValue(json));
            var (signerKey, verifierKey) = parse.GetValue(cosigner)
                ? Pair(NoteKeys.GenerateCosigner(keyName, TimeProvider.System))
                : Pair(NoteKeys.GenerateEd25519(keyName));
            var path = parse.GetValue(output);
            if (path is not null)
            {
                if (File.Exists(path))
                    return cli.Fail(Common.ErrorCodes.InputMalformed, $"'{path}' already exists: refusing to overwrite a key file", parse.GetValue(json));
                SecretFile.WriteNew(path, signerKey);
            }
            if (parse.GetValue(json))
                cli.WriteJson(new { signerKey = path is null ? signerKey : null, signerKeyFile = path, verifierKey });
            else if (path is null)
                cli.Out.WriteLine($"{signerKey}\n{verifierKey}");
            else
                cli.Out.WriteLine(verifierKey);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (string, string) Pair(Ed25519NoteSigner s) => (s.SignerKey, s.VerifierKey);

    private static (string, string) Pair(CosignatureV1Signer s) => (s.SignerKey, s.VerifierKey);
}
