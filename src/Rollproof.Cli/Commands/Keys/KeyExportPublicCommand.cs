using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing.Pkcs11;

namespace Rollproof.Cli.Commands.Keys;

internal static class KeyExportPublicCommand
{
    public static Command Create(CliContext cli)
    {
        var name = new Argument<string>("NAME") { Description = "The key's name in the keyring, e.g. ci-release, or a PKCS#11 URI (pkcs11:token=T;object=LABEL?...) to read a token key's public half" };
        var keyring = CommonOptions.Keyring();
        var json = CommonOptions.Json();
        var command = new Command("export-public", "Print a key's public half as PEM (SubjectPublicKeyInfo), to give to verifiers or put in a trust file.")
        {
            name, keyring, json,
        };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(name)!;
            var key = Pkcs11Uri.Looks(given)
                ? Pkcs11Key.Open(given, cli.Defaults).Map(signer => signer.PublicKey)
                : cli.Defaults.Keyring(parse, keyring).Public(given);
            if (!key.IsOk)
                return cli.Fail(key.Problem, parse.GetValue(json));
            if (parse.GetValue(json))
                cli.WriteJson(new { name = Pkcs11Uri.Looks(given) ? null : given, // a URI may hold its PIN: never echoed
                    algorithm = KeyReport.Algorithm(key.Value), keyId = key.Value.KeyId, publicKeyPem = key.Value.ToPem() });
            else
                cli.Out.WriteLine(key.Value.ToPem());
            return ExitCodes.Ok;
        });
        return command;
    }
}
