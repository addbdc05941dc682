using System.CommandLine;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands.Keys;

internal static class KeyCommand
{
    public static Command Create(CliContext cli) => new("key", "Statement signing keys: ECDSA P-256 (default) or Ed25519, private halves encrypted with a passphrase.")
    {
        KeyGenerateCommand.Create(cli),
        KeyImportCommand.Create(cli),
        KeyExportPublicCommand.Create(cli),
        KeyListCommand.Create(cli),
    };
}
