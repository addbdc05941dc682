using System.Formats.Asn1;
using System.Security.Cryptography;
using Rollproof.Common;

namespace Rollproof.Signing;

/// <summary>
/// Loads a note signer from a key file: a signer-key string (<c>PRIVATE+KEY+…</c>) or a PKCS#8 PEM key
/// (Ed25519 or ECDSA), which takes <paramref name="name"/> as its key name.
/// </summary>
public static class NoteSignerFile
{
    private const int MaxKeyFileSize = 64 * 1024;
    private const string Ed25519Oid = "1.3.101.112";

    public static Result<INoteSigner> Load(string path, string name)
    {
        var bytes = InputFile.Read(path, MaxKeyFileSize, "key file");
        if (!bytes.IsOk)
            return bytes.Problem;
        var text = System.Text.Encoding.UTF8.GetString(bytes.Value).Trim();
        var result = Parse(text, name);
        return result.IsOk ? result : new Problem(result.Problem.Code, $"key file '{path}': {result.Problem.Message}");
    }

    public static Result<INoteSigner> Parse(string text, string name)
    {
        if (text.StartsWith("PRIVATE+KEY+", StringComparison.Ordinal))
            return NoteKeys.ParseSignerKey(text);
        if (!text.StartsWith("-----BEGIN", StringComparison.Ordinal))
            return Result<INoteSigner>.Fail(ErrorCodes.SignerKeyMalformed, "expected a signer-key string (PRIVATE+KEY+…) or a PEM private key");
        if (!NoteKeyId.IsValidName(name))
            return Result<INoteSigner>.Fail(ErrorCodes.SignerKeyMalformed, $"key name '{name}' must be non-empty and contain no spaces or '+'");
        try
        {
            var pem = PemEncoding.Find(text);
            var label = text[pem.Label];
            var der = Convert.FromBase64String(text[pem.Base64Data]);
            if (label == "PRIVATE KEY" && AlgorithmOid(der) == Ed25519Oid)
                return Result<INoteSigner>.Ok(new Ed25519NoteSigner(name, Ed25519Seed(der)));
            if (label is "PRIVATE KEY" or "EC PRIVATE KEY")
            {
                var ecdsa = ECDsa.Create();
                try
                {
                    ecdsa.ImportFromPem(text);
                    return Result<INoteSigner>.Ok(new EcdsaNoteSigner(name, ecdsa));
                }
                catch
                {
                    ecdsa.Dispose();
                    throw;
                }
            }
            return Result<INoteSigner>.Fail(ErrorCodes.UnsupportedKeyType, $"PEM block '{label}' is not a supported private key (PKCS#8 Ed25519 or ECDSA)");
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or FormatException or ArgumentException)
        {
            return Result<INoteSigner>.Fail(ErrorCodes.SignerKeyMalformed, $"PEM private key could not be read: {e.Message}");
        }
    }

    private static string AlgorithmOid(byte[] pkcs8)
    {
        var info = new AsnReader(pkcs8, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger();
        return info.ReadSequence().ReadObjectIdentifier();
    }

    // PrivateKeyInfo.privateKey wraps a CurvePrivateKey OCTET STRING holding the 32-byte seed (RFC 8410).
    private static byte[] Ed25519Seed(byte[] pkcs8)
    {
        var info = new AsnReader(pkcs8, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger();
        info.ReadSequence();
        var inner = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
        if (inner.Length != OpenSslEd25519.SeedSize)
            throw new CryptographicException($"Ed25519 private key is {inner.Length} bytes, expected {OpenSslEd25519.SeedSize}");
        return inner;
    }
}
