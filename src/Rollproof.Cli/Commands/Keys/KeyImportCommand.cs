using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Cli.Commands.Keys;

internal static class KeyImportCommand
{
    public static Command Create(CliContext cli)
    {
        var file = new Argument<string>("FILE") { Description = "A PEM private key: PKCS#8 (encrypted or not) or SEC1 EC, ECDSA P-256 or Ed25519" };
        var name = new Option<string>("--name") { Description = "The name to give it in the keyring", Required = true };
        var sourcePassphrase = new Option<string?>("--source-passphrase-file") { Description = "The passphrase of FILE, if it is encrypted" };
        var keyring = CommonOptions.Keyring();
        var passphraseFile = KeyOptions.PassphraseFile();
        var noPassphrase = KeyOptions.NoPassphrase();
        var json = CommonOptions.Json();
        var command = new Command("import", "Import an existing private key into the keyring, re-encrypted with the keyring passphrase.")
        {
            file, name, sourcePassphrase, keyring, passphraseFile, noPassphrase, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var ring = cli.Defaults.Keyring(parse, keyring);
            var keyName = parse.GetValue(name)!;
            var problem = ring.CheckNew(keyName);
            if (problem is not null)
                return cli.Fail(problem, asJson);
            var pem = InputFile.Read(parse.GetValue(file)!, 64 * 1024, "key file");
            if (!pem.IsOk)
                return cli.Fail(pem.Problem, asJson);
            var source = "";
            if (parse.GetValue(sourcePassphrase) is { } sourceFile)
            {
                var read = Passphrase.Read(sourceFile, cli, confirm: false);
                if (!read.IsOk)
                    return cli.Fail(read.Problem, asJson);
                source = read.Value;
            }
            var key = PrivateKey.FromPem(System.Text.Encoding.UTF8.GetString(pem.Value), source);
            if (!key.IsOk)
                return cli.Fail(key.Problem with { Message = $"{parse.GetValue(file)}: {key.Problem.Message}" }, asJson);
            using var imported = key.Value;
            var passphrase = Passphrase.ForNewKey(parse.GetValue(noPassphrase), parse.GetValue(passphraseFile), ring.PrivatePath(keyName), cli);
            if (!passphrase.IsOk)
                return cli.Fail(passphrase.Problem, asJson);
            ring.Store(keyName, imported, passphrase.Value);
            return KeyReport.Write(cli, asJson, keyName, imported.PublicKey, ring, passphrase.Value is not null);
        });
        return command;
    }
}
