using System.Security.Cryptography;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Signing;

/// <summary>The algorithms statement keys may use: ECDSA P-256 with SHA-256 (the default) and Ed25519.</summary>
public enum KeyAlgorithm
{
    EcdsaP256,
    Ed25519,
}

/// <summary>
/// A statement-signing public key, identified by the hex SHA-256 of its SubjectPublicKeyInfo. ECDSA signatures are
/// ASN.1 DER (as Sigstore and cosign write them); Ed25519 signatures are RFC 8032.
/// </summary>
public sealed class PublicKey : IBytesVerifier
{
    internal const string Ed25519Oid = "1.3.101.112";
    private static readonly byte[] Ed25519SpkiPrefix = Convert.FromHexString("302a300506032b6570032100");
    private readonly ECDsa? _ecdsa;
    private readonly byte[]? _ed25519;

    private PublicKey(KeyAlgorithm algorithm, byte[] spki, ECDsa? ecdsa, byte[]? ed25519)
    {
        Algorithm = algorithm;
        SubjectPublicKeyInfo = spki;
        _ecdsa = ecdsa;
        _ed25519 = ed25519;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    public KeyAlgorithm Algorithm { get; }

    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>Hex SHA-256 of the DER SubjectPublicKeyInfo: stable, derived from the key alone.</summary>
    public string KeyId { get; }

    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", SubjectPublicKeyInfo);

    public static Result<PublicKey> FromSubjectPublicKeyInfo(byte[] spki)
    {
        if (spki.Length == Ed25519SpkiPrefix.Length + OpenSslEd25519.PublicKeySize && spki.AsSpan().StartsWith(Ed25519SpkiPrefix))
            return Result<PublicKey>.Ok(new PublicKey(KeyAlgorithm.Ed25519, spki, null, spki[Ed25519SpkiPrefix.Length..]));
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length || ecdsa.ExportParameters(false).Curve.Oid.Value != "1.2.840.10045.3.1.7")
                throw new CryptographicException("only ECDSA keys on NIST P-256 are accepted");
            return Result<PublicKey>.Ok(new PublicKey(KeyAlgorithm.EcdsaP256, spki, ecdsa, null));
        }
        catch (CryptographicException e)
        {
            ecdsa.Dispose();
            return Result<PublicKey>.Fail(ErrorCodes.KeyFileMalformed, $"not an ECDSA P-256 or Ed25519 public key: {e.Message}");
        }
    }

    public static Result<PublicKey> FromPem(string pem)
    {
        try
        {
            var found = PemEncoding.Find(pem);
            if (pem[found.Label] != "PUBLIC KEY")
                return Result<PublicKey>.Fail(ErrorCodes.KeyFileMalformed, $"expected a PUBLIC KEY PEM block, found '{pem[found.Label]}'");
            return FromSubjectPublicKeyInfo(Convert.FromBase64String(pem[found.Base64Data]));
        }
        catch (ArgumentException)
        {
            return Result<PublicKey>.Fail(ErrorCodes.KeyFileMalformed, "no PEM block found");
        }
    }

    internal static PublicKey FromEd25519(byte[] publicKey) =>
        new(KeyAlgorithm.Ed25519, [.. Ed25519SpkiPrefix, .. publicKey], null, publicKey);

    internal static PublicKey FromEcdsa(ECDsa key) =>
        FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo()).Value;

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        _ecdsa is not null
            ? _ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            : OpenSslEd25519.Verify(_ed25519, data, signature);
}
