using Rollproof.Common;
using Rollproof.Signing.Pkcs11;

namespace Rollproof.Signing;

/// <summary>
/// Where a log's private key is (a KEYREF): a key file (<see cref="NoteSignerFile"/>) or a PKCS#11 URI naming a key
/// in a token (<see cref="Pkcs11NoteSigner"/>). A store's configuration keeps it as <see cref="Text"/>, so a URI kept
/// there must not carry its PIN (<see cref="CheckStorable"/>).
/// </summary>
public sealed class LogKeyReference
{
    private LogKeyReference(string text, Pkcs11Uri? uri)
    {
        Text = text;
        Uri = uri;
    }

    /// <summary>The key file's full path, or the URI as given.</summary>
    public string Text { get; }

    /// <summary>The token key, or null for a key file.</summary>
    public Pkcs11Uri? Uri { get; }

    /// <summary>Never the PIN: the URI without its pin-value.</summary>
    public override string ToString() => Pkcs11Uri.WithoutPinValue(Text);

    /// <summary>A <c>pkcs11:</c> URI (RFC 7512) or else a key file's path; a malformed URI is refused with what is wrong.</summary>
    public static Result<LogKeyReference> Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Result<LogKeyReference>.Fail(ErrorCodes.InputMalformed, "a log key is a key file or a pkcs11: URI, and none was given");
        if (Pkcs11Uri.Looks(text))
        {
            var uri = Pkcs11Uri.Parse(text);
            return uri.IsOk ? Result<LogKeyReference>.Ok(new LogKeyReference(text, uri.Value)) : uri.Problem;
        }
        try
        {
            return Result<LogKeyReference>.Ok(new LogKeyReference(Path.GetFullPath(text), null));
        }
        catch (Exception e) when (e is ArgumentException or PathTooLongException)
        {
            return Result<LogKeyReference>.Fail(ErrorCodes.InputMalformed, $"the log key path is not a usable path: {e.Message}");
        }
    }

    /// <summary>Null when a store's configuration may keep this reference; a URI with a pin-value would put the PIN there.</summary>
    public Problem? CheckStorable(string where) => Uri?.PinValue is null
        ? null
        : new Problem(ErrorCodes.Pkcs11PinInStoreConfig, $"{where}: the log key's URI ({this}) has a pin-value, and a store's configuration never keeps a PIN: give it with pin-source=file:/path or ${Pkcs11Credentials.PinVariable}");

    /// <summary>
    /// The signer for the log of <paramref name="origin"/>, its key named after it. A token's module and PIN come from
    /// the URI or <paramref name="variable"/> (default: the process environment), as <see cref="Pkcs11Credentials"/> says.
    /// </summary>
    public Result<INoteSigner> Open(string origin, Func<string, string?>? variable = null)
    {
        if (!NoteKeyId.IsValidName(origin))
            return Result<INoteSigner>.Fail(ErrorCodes.CheckpointMalformed, $"origin '{origin}' must be non-empty and contain no spaces or '+'");
        if (Uri is null)
            return NoteSignerFile.Load(Text, origin);
        var key = Pkcs11PrivateKey.Open(Uri, variable ?? Environment.GetEnvironmentVariable);
        return key.IsOk ? Result<INoteSigner>.Ok(new Pkcs11NoteSigner(origin, key.Value)) : key.Problem;
    }
}
