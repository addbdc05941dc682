using System.CommandLine;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands.Keys;

internal static class KeyExportPublicCommand
{
    public static Command Create(CliContext cli)
    {
        var name = KeyOptions.Name();
        var keyring = CommonOptions.Keyring();
        var json = CommonOptions.Json();
        var command = new Command("export-public", "Print a key's public half as PEM (SubjectPublicKeyInfo), to give to verifiers or put in a trust file.")
        {
            name, keyring, json,
        };
        command.SetAction(parse =>
        {
            var key = cli.Defaults.Keyring(parse, keyring).Public(parse.GetValue(name)!);
            if (!key.IsOk)
                return cli.Fail(key.Problem, parse.GetValue(json));
            if (parse.GetValue(json))
                cli.WriteJson(new { name = parse.GetValue(name), algorithm = KeyReport.Algorithm(key.Value), keyId = key.Value.KeyId, publicKeyPem = key.Value.ToPem() });
            else
                cli.Out.WriteLine(key.Value.ToPem());
            return ExitCodes.Ok;
        });
        return command;
    }
}
