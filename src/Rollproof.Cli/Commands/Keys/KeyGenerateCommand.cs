using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;

namespace Rollproof.Cli.Commands.Keys;

internal static class KeyGenerateCommand
{
    public static Command Create(CliContext cli)
    {
        var name = KeyOptions.Name();
        var algorithm = new Option<string>("--algorithm") { Description = "ecdsa-p256 (default) or ed25519", DefaultValueFactory = _ => "ecdsa-p256" };
        algorithm.AcceptOnlyFromAmong("ecdsa-p256", "ed25519");
        var keyring = CommonOptions.Keyring();
        var passphraseFile = KeyOptions.PassphraseFile();
        var noPassphrase = KeyOptions.NoPassphrase();
        var json = CommonOptions.Json();
        var command = new Command("generate", "Generate a signing key pair into the keyring: NAME.key (PKCS#8, encrypted with a passphrase, mode 0600) and NAME.pub.")
        {
            name, algorithm, keyring, passphraseFile, noPassphrase, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var ring = cli.Defaults.Keyring(parse, keyring);
            var keyName = parse.GetValue(name)!;
            var problem = ring.CheckNew(keyName);
            if (problem is not null)
                return cli.Fail(problem, asJson);
            var passphrase = Passphrase.ForNewKey(parse.GetValue(noPassphrase), parse.GetValue(passphraseFile), ring.PrivatePath(keyName), cli);
            if (!passphrase.IsOk)
                return cli.Fail(passphrase.Problem, asJson);
            using var key = PrivateKey.Generate(parse.GetValue(algorithm) == "ed25519" ? KeyAlgorithm.Ed25519 : KeyAlgorithm.EcdsaP256);
            ring.Store(keyName, key, passphrase.Value);
            return KeyReport.Write(cli, asJson, keyName, key.PublicKey, ring, passphrase.Value is not null);
        });
        return command;
    }
}
