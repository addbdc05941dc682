using System.Security.Cryptography;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// The key a bundle's content must have been signed with, from a PEM key or a certificate: ECDSA P-256, P-384 or
/// P-521 (DER signatures, hashed with SHA-256, SHA-384 or SHA-512 as Sigstore pairs them), Ed25519, or RSA
/// (PKCS#1 v1.5 or PSS, SHA-256). Anything else is refused rather than guessed at.
/// </summary>
internal sealed class SigningKey : IDisposable
{
    private const string EcOid = "1.2.840.10045.2.1";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string Ed25519Oid = "1.3.101.112";

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly byte[]? _ed25519;
    private readonly HashAlgorithmName _hash;

    private SigningKey(ECDsa? ecdsa, RSA? rsa, byte[]? ed25519, HashAlgorithmName hash)
    {
        _ecdsa = ecdsa;
        _rsa = rsa;
        _ed25519 = ed25519;
        _hash = hash;
    }

    public static Result<SigningKey> FromSpki(byte[] spki)
    {
        try
        {
            var key = System.Security.Cryptography.X509Certificates.PublicKey.CreateFromSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
                return Result<SigningKey>.Fail(ErrorCodes.SigningKeyUnsupported, "trailing bytes after the public key");
            switch (key.Oid.Value)
            {
                case Ed25519Oid when key.EncodedKeyValue.RawData.Length == OpenSslEd25519.PublicKeySize:
                    return Result<SigningKey>.Ok(new(null, null, key.EncodedKeyValue.RawData, default));
                case RsaOid:
                    var rsa = key.GetRSAPublicKey()!;
                    return rsa.KeySize >= 2048
                        ? Result<SigningKey>.Ok(new(null, rsa, null, HashAlgorithmName.SHA256))
                        : Result<SigningKey>.Fail(ErrorCodes.SigningKeyUnsupported, $"a {rsa.KeySize}-bit RSA key is too weak to trust (2048 bits at least)");
                case EcOid:
                    var ecdsa = key.GetECDsaPublicKey()!;
                    HashAlgorithmName? hash = ecdsa.KeySize switch { 256 => HashAlgorithmName.SHA256, 384 => HashAlgorithmName.SHA384, 521 => HashAlgorithmName.SHA512, _ => null };
                    return hash is { } h
                        ? Result<SigningKey>.Ok(new(ecdsa, null, null, h))
                        : Result<SigningKey>.Fail(ErrorCodes.SigningKeyUnsupported, $"an ECDSA key on a {ecdsa.KeySize}-bit curve is not one Sigstore signs with (P-256, P-384, P-521)");
                default:
                    return Result<SigningKey>.Fail(ErrorCodes.SigningKeyUnsupported, $"a key of algorithm {key.Oid.Value} is not ECDSA, Ed25519 or RSA");
            }
        }
        catch (CryptographicException e)
        {
            return Result<SigningKey>.Fail(ErrorCodes.SigningKeyUnsupported, $"not a usable public key: {e.Message}");
        }
    }

    /// <summary>Whether <paramref name="signature"/> is this key's over <paramref name="data"/>.</summary>
    public bool VerifyData(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (_ed25519 is not null)
            return OpenSslEd25519.Verify(_ed25519, data, signature);
        Span<byte> digest = stackalloc byte[64];
        var length = CryptographicOperations.HashData(_hash, data, digest);
        return VerifyDigest(digest[..length], signature);
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is this key's over the artifact. With only its SHA-256 digest, only a key
    /// that signs SHA-256 prehashes can be checked; the others need the bytes.
    /// </summary>
    public Result<bool> VerifyArtifact(BundleArtifact artifact, ReadOnlySpan<byte> signature)
    {
        if (artifact.Bytes is { } bytes)
            return Result<bool>.Ok(VerifyData(bytes, signature));
        if (_ed25519 is not null || _hash != HashAlgorithmName.SHA256)
            return Result<bool>.Fail(ErrorCodes.SigningKeyUnsupported, "this key signs the artifact's bytes (Ed25519) or a SHA-384/512 digest of them, so the artifact itself is needed, not its SHA-256 digest");
        return Result<bool>.Ok(VerifyDigest(artifact.Sha256, signature));
    }

    private bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        try
        {
            if (_ecdsa is not null)
                return _ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
            return _rsa!.VerifyHash(digest, signature, _hash, RSASignaturePadding.Pkcs1) || _rsa.VerifyHash(digest, signature, _hash, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
