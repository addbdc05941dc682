using System.CommandLine;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands.Keys;

internal static class KeyListCommand
{
    public static Command Create(CliContext cli)
    {
        var keyring = CommonOptions.Keyring();
        var json = CommonOptions.Json();
        var command = new Command("list", "List the keys in the keyring: name, algorithm, key ID, whether the private key is encrypted.")
        {
            keyring, json,
        };
        command.SetAction(parse =>
        {
            var ring = cli.Defaults.Keyring(parse, keyring);
            var keys = new List<object>();
            foreach (var name in ring.Names())
            {
                var key = ring.Public(name);
                if (!key.IsOk)
                    return cli.Fail(key.Problem, parse.GetValue(json));
                keys.Add(new { name, algorithm = KeyReport.Algorithm(key.Value), keyId = key.Value.KeyId, hasPrivateKey = File.Exists(ring.PrivatePath(name)), encrypted = ring.IsEncrypted(name) });
                if (!parse.GetValue(json))
                    cli.Out.WriteLine($"{name,-24} {KeyReport.Algorithm(key.Value),-10} {key.Value.KeyId} {(File.Exists(ring.PrivatePath(name)) ? ring.IsEncrypted(name) ? "private (encrypted)" : "private (NOT encrypted)" : "public only")}");
            }
            if (parse.GetValue(json))
                cli.WriteJson(keys);
            else if (keys.Count == 0)
                cli.Out.WriteLine($"no keys in {ring.Directory}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
