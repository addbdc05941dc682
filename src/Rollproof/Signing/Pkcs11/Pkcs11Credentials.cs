using Rollproof.Common;

namespace Rollproof.Signing.Pkcs11;

/// <summary>
/// Where a PKCS#11 key's module and PIN come from: the URI's module-path, else $ROLLPROOF_PKCS11_MODULE; the URI's
/// pin-value, else its pin-source (a file, first line), else $ROLLPROOF_PKCS11_PIN. The PIN is never echoed.
/// </summary>
public static class Pkcs11Credentials
{
    public const string ModuleVariable = "ROLLPROOF_PKCS11_MODULE";
    public const string PinVariable = "ROLLPROOF_PKCS11_PIN";
    private const int MaxPinFileBytes = 1024;

    public static Result<string> Module(Pkcs11Uri uri, Func<string, string?> variable) =>
        (uri.ModulePath ?? Set(variable, ModuleVariable)) is { } module
            ? Result<string>.Ok(module)
            : new Problem(ErrorCodes.Pkcs11UriMalformed, $"no PKCS#11 module: add ?module-path=/path/to/module.so to the URI or set {ModuleVariable}");

    public static Result<string> Pin(Pkcs11Uri uri, Func<string, string?> variable)
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
        return Set(variable, PinVariable) is { } pin
            ? Result<string>.Ok(pin)
            : new Problem(ErrorCodes.Pkcs11LoginFailed, $"no PIN for the token: add ?pin-source=file:/path to the URI or set {PinVariable}");
    }

    private static string? Set(Func<string, string?> variable, string name) => variable(name) is { Length: > 0 } value ? value : null;
}
