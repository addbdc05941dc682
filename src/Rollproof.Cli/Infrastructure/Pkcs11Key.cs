using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Signing.Pkcs11;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// A <c>--key pkcs11:...</c> value: the module from the URI's module-path or $ROLLPROOF_PKCS11_MODULE, the PIN from
/// pin-source (a file, first line), pin-value or $ROLLPROOF_PKCS11_PIN. The PIN is never echoed.
/// </summary>
internal static class Pkcs11Key
{
    public const string ModuleVariable = "ROLLPROOF_PKCS11_MODULE";
    public const string PinVariable = "ROLLPROOF_PKCS11_PIN";
    private const int MaxPinFileBytes = 1024;

    public static Result<IStatementSigner> Open(string text, ConfiguredDefaults defaults)
    {
        var uri = Pkcs11Uri.Parse(text);
        if (!uri.IsOk)
            return uri.Problem;
        if ((uri.Value.ModulePath ?? defaults.Variable(ModuleVariable)) is not { } module)
            return new Problem(ErrorCodes.Pkcs11UriMalformed, $"no PKCS#11 module: add ?module-path=/path/to/module.so to the URI or set {ModuleVariable}");
        var pin = Pin(uri.Value, defaults);
        if (!pin.IsOk)
            return pin.Problem;
        var signer = Pkcs11Signer.Open(uri.Value, module, pin.Value);
        return signer.IsOk ? Result<IStatementSigner>.Ok(signer.Value) : signer.Problem;
    }

    private static Result<string> Pin(Pkcs11Uri uri, ConfiguredDefaults defaults)
    {
        if (uri.PinValue is { } value)
            return Result<string>.Ok(value);
        if (uri.PinSource is { } source)
        {
            // RFC 7512 makes pin-source a URI; a file: URI or a plain path are what a PIN file can be.
            var path = source.StartsWith("file:", StringComparison.Ordinal) ? source["file:".Length..] : source;
            var read = InputFile.Read(path, MaxPinFileBytes, "PIN file");
            if (!read.IsOk)
                return read.Problem;
            return Result<string>.Ok(System.Text.Encoding.UTF8.GetString(read.Value).Split('\n')[0].TrimEnd('\r'));
        }
        return defaults.Variable(PinVariable) is { } pin
            ? Result<string>.Ok(pin)
            : new Problem(ErrorCodes.Pkcs11LoginFailed, $"no PIN for the token: add ?pin-source=file:/path to the URI or set {PinVariable}");
    }
}
