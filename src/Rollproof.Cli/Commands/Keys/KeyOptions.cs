using System.CommandLine;

namespace Rollproof.Cli.Commands.Keys;

/// <summary>Options shared by the key commands.</summary>
internal static class KeyOptions
{
    public static Option<string?> PassphraseFile() => new("--passphrase-file") { Description = "Read the passphrase from this file's first line (default: $ROLLPROOF_PASSPHRASE, else a prompt on a terminal)" };

    public static Option<bool> NoPassphrase() => new("--no-passphrase") { Description = "Store the private key unencrypted (not recommended; a warning is printed)" };

    public static Argument<string> Name() => new("NAME") { Description = "The key's name in the keyring, e.g. ci-release or alice" };
}
