using System.CommandLine;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Signing.Pkcs11;

namespace Rollproof.Cli.Infrastructure;

/// <summary>How a statement is signed: a key file (passphrase as for the key commands) or an external signing command.</summary>
internal sealed class SignerOptions
{
    public Option<string?> Key { get; } = new("--key") { Description = "The signing key: a name in the keyring, a PEM private key file (a path with '/' or ending .key or .pem), or a PKCS#11 URI (pkcs11:token=T;object=LABEL?module-path=...&pin-source=file:...); default: key: in rollproof.yaml. Encrypted keys take --passphrase-file or $ROLLPROOF_PASSPHRASE" };

    public Option<string?> KeyringFolder { get; } = CommonOptions.Keyring();

    public Option<string?> PassphraseFile { get; } = new("--passphrase-file") { Description = "The key's passphrase, first line of this file" };

    public Option<string?> SignerCommand { get; } = new("--signer-command") { Description = "A command that reads bytes on stdin and prints their signature (KMS, HSM, openssl); run without a shell, split on spaces" };

    public Option<string?> SignerPublicKey { get; } = new("--signer-public-key") { Description = "The PEM public key of --signer-command's key" };

    public Option<bool> SignerBase64 { get; } = new("--signer-base64") { Description = "--signer-command prints base64 rather than raw signature bytes" };

    public IEnumerable<Option> All => [Key, KeyringFolder, PassphraseFile, SignerCommand, SignerPublicKey, SignerBase64];

    /// <summary>Adds the signing options to a command, with the rule that exactly one way to sign is given.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
            command.Options.Add(option);
        command.Validators.Add(Validate);
    }

    /// <summary>At most one way to sign, as a usage rule (exit 2); none given is the config's key, else <see cref="ErrorCodes.KeyNotFound"/> (exit 2 too).</summary>
    public void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        if (result.GetResult(Key) is not null && result.GetResult(SignerCommand) is not null)
            result.AddError("give one of --key and --signer-command, not both");
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
        if (parse.GetValue(Key) is { } given && Pkcs11Uri.Looks(given))
            return Pkcs11Key.Open(given, cli.Defaults);
        var located = Locate(parse, cli);
        if (!located.IsOk)
            return located.Problem;
        var keyFile = located.Value;
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

    // --key as given (relative to here), else the config's key (relative to the config file); rollproof.yaml is read
    // only when --key is left out or names a key in a keyring no flag or variable names.
    private Result<string> Locate(ParseResult parse, CliContext cli)
    {
        Keyring OpenKeyring() => cli.Defaults.Keyring(parse, KeyringFolder);
        if (parse.GetValue(Key) is { } given)
            return KeyLocation.Find(given, null, OpenKeyring);
        var config = cli.Defaults.Config(parse);
        return config.Key is { } configured
            ? KeyLocation.Find(configured, config.Directory, OpenKeyring)
            : Result<string>.Fail(ErrorCodes.KeyNotFound, $"give --key NAME or FILE (or key: in {ConfiguredDefaults.FileName}), or --signer-command with --signer-public-key");
    }
}
