using Rollproof.Common;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// Where a key's passphrase comes from: a file (first line), the ROLLPROOF_PASSPHRASE environment variable, or a
/// hidden prompt on a terminal. Never a command-line argument, which other users can read in the process list.
/// </summary>
internal static class Passphrase
{
    public const string EnvironmentVariable = "ROLLPROOF_PASSPHRASE";
    private const int MaxLength = 1024;

    /// <summary>
    /// The passphrase to encrypt a new key file with, or null when the owner opted out (after warning them that
    /// anyone who can read <paramref name="keyFile"/> can sign with it).
    /// </summary>
    public static Result<string?> ForNewKey(bool optOut, string? file, string keyFile, CliContext cli)
    {
        if (optOut)
        {
            cli.Error.WriteLine($"warning: the private key is stored unencrypted; anyone who can read {keyFile} can sign as it");
            return Result<string?>.Ok(null);
        }
        var read = Read(file, cli, confirm: true);
        return read.IsOk ? Result<string?>.Ok(read.Value) : read.Problem;
    }

    public static Result<string> Read(string? file, CliContext cli, bool confirm)
    {
        if (file is not null)
        {
            var bytes = InputFile.Read(file, MaxLength, "passphrase file");
            if (!bytes.IsOk)
                return bytes.Problem;
            var line = System.Text.Encoding.UTF8.GetString(bytes.Value).Split('\n')[0].TrimEnd('\r');
            return line.Length == 0 ? Fail($"passphrase file '{file}' is empty") : Result<string>.Ok(line);
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
            return Result<string>.Ok(fromEnvironment);
        if (Console.IsInputRedirected || Console.IsErrorRedirected || cli.Error != Console.Error)
            return Fail($"a passphrase is needed: give --passphrase-file FILE or set {EnvironmentVariable}");
        var first = Prompt(cli, "passphrase: ");
        if (first.Length == 0)
            return Fail("the passphrase is empty");
        if (confirm && Prompt(cli, "again: ") != first)
            return Fail("the two passphrases differ");
        return Result<string>.Ok(first);
    }

    private static string Prompt(CliContext cli, string label)
    {
        cli.Error.Write(label);
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && typed.Length > 0)
                typed.Length--;
            else if (!char.IsControl(key.KeyChar) && typed.Length < MaxLength)
                typed.Append(key.KeyChar);
        }
        cli.Error.WriteLine();
        return typed.ToString();
    }

    private static Result<string> Fail(string message) => Result<string>.Fail(ErrorCodes.KeyPassphraseWrong, message);
}
