using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Signing.Pkcs11;

namespace Rollproof.Cli.Infrastructure;

/// <summary>A <c>--key pkcs11:...</c> value: module and PIN as <see cref="Pkcs11Credentials"/> finds them, the PIN never echoed.</summary>
internal static class Pkcs11Key
{
    public static Result<IStatementSigner> Open(string text, ConfiguredDefaults defaults)
    {
        var uri = Pkcs11Uri.Parse(text);
        if (!uri.IsOk)
            return uri.Problem;
        var key = Pkcs11PrivateKey.Open(uri.Value, defaults.Variable);
        return key.IsOk ? Result<IStatementSigner>.Ok(new Pkcs11Signer(key.Value)) : key.Problem;
    }
}
