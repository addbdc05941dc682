using System.Text;
using Rollproof.Common;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands.Sigstore;

/// <summary>
/// A <c>--key</c> file as cosign writes one: a PEM <c>PUBLIC KEY</c> block (SubjectPublicKeyInfo) of any algorithm a
/// bundle may be signed with; the verifier decides whether it can use the key.
/// </summary>
internal static class PemPublicKey
{
    public static Result<byte[]> Read(string path)
    {
        var pem = InputFile.Read(path, PublicKeyFile.MaxSize, "public key file");
        if (!pem.IsOk)
            return pem.Problem;
        var text = Encoding.UTF8.GetString(pem.Value);
        if (!System.Security.Cryptography.PemEncoding.TryFind(text, out var fields) || text[fields.Label] != "PUBLIC KEY")
            return Result<byte[]>.Fail(ErrorCodes.KeyFileMalformed, $"public key file '{path}' holds no PEM 'PUBLIC KEY' block");
        return Result<byte[]>.Ok(Convert.FromBase64String(text[fields.Base64Data]));
    }
}
