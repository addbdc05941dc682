using System.CommandLine;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;

namespace Rollproof.Cli.Infrastructure;

/// <summary>How a statement is signed: a key file (passphrase as for the key commands) or an external signing command.</summary>
internal sealed class SignerOptions
{
    public Option<string?> Key { get; } = new("--key") { Description = "PEM private key file (encrypted keys take --passphrase-file or $ROLLPROOF_PASSPHRASE)" };

    public Option<string?> PassphraseFile { get; } = new("--passphrase-file") { Description = "The key's passphrase, first line of this file" };

    public Option<string?> SignerCommand { get; } = new("--signer-command") { Description = "A command that reads bytes on stdin and prints their signature (KMS, HSM, openssl); run without a shell, split on spaces" };

    public Option<string?> SignerPublicKey { get; } = new("--signer-public-key") { Description = "The PEM public key of --signer-command's key" };

    public Option<bool> SignerBase64 { get; } = new("--signer-base64") { Description = "--signer-command prints base64 rather than raw signature bytes" };

    public IEnumerable<Option> All => [Key, PassphraseFile, SignerCommand, SignerPublicKey, SignerBase64];

    /// <summary>Adds the signing options to a command, with the rule that exactly one way to sign is given.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
            command.Options.Add(option);
        command.Validators.Add(Validate);
    }

    /// <summary>Exactly one way to sign, as a usage rule (exit 2).</summary>
    public void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        if ((result.GetResult(Key) is null) == (result.GetResult(SignerCommand) is null))
            result.AddError("give exactly one of --key and --signer-command");
    }

    /// <summary>The key named by --signer-public-key.</summary>
    public Result<PublicKey> ReadPublicKey(ParseResult parse)
    {
        if (parse.GetValue(SignerPublicKey) is not { } publicFile)
            return Result<PublicKey>.Fail(ErrorCodes.InputMissing, "--signer-command needs --signer-public-key");
        return PublicKeyFile.Read(publicFile);
    }

    public Result<IStatementSigner> Resolve(ParseResult parse, CliContext cli)
    {
        if (parse.GetValue(SignerCommand) is { } command)
        {
            var publicKey = ReadPublicKey(parse);
            if (!publicKey.IsOk)
                return publicKey.Problem;
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
                return Result<IStatementSigner>.Fail(ErrorCodes.InputMalformed, "--signer-command is empty");
            var encoding = parse.GetValue(SignerBase64) ? SignatureEncoding.Base64 : SignatureEncoding.Raw;
            return Result<IStatementSigner>.Ok(new ExternalCommandSigner(words[0], words[1..], publicKey.Value, encoding, TimeSpan.FromMinutes(2)));
        }
        if (parse.GetValue(Key) is not { } keyFile)
            return Result<IStatementSigner>.Fail(ErrorCodes.InputMissing, "give --key FILE or --signer-command with --signer-public-key");
        var text = InputFile.Read(keyFile, 64 * 1024, "key file");
        if (!text.IsOk)
            return text.Problem;
        var pemText = System.Text.Encoding.UTF8.GetString(text.Value);
        var passphrase = "";
        if (pemText.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            var read = Passphrase.Read(parse.GetValue(PassphraseFile), cli, confirm: false);
            if (!read.IsOk)
                return read.Problem;
            passphrase = read.Value;
        }
        var key = PrivateKey.FromPem(pemText, passphrase);
        return key.IsOk ? Result<IStatementSigner>.Ok(key.Value) : key.Problem with { Message = $"{keyFile}: {key.Problem.Message}" };
    }
}
