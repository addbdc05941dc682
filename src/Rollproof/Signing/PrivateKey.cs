using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Rollproof.Common;
using Rollproof.Formats;

namespace Rollproof.Signing;

/// <summary>
/// A statement-signing private key held in a file: PKCS#8 PEM, encrypted with a passphrase (PBES2, AES-256-CBC,
/// PBKDF2-SHA256) unless the owner explicitly asked otherwise.
/// </summary>
public sealed class PrivateKey : IStatementSigner, IDisposable
{
    /// <summary>PBKDF2 iterations for new files: OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int Pbkdf2Iterations = 600_000;

    private readonly ECDsa? _ecdsa;
    private readonly byte[]? _seed;

    private PrivateKey(ECDsa? ecdsa, byte[]? seed)
    {
        _ecdsa = ecdsa;
        _seed = seed;
        PublicKey = ecdsa is not null ? PublicKey.FromEcdsa(ecdsa) : PublicKey.FromEd25519(OpenSslEd25519.PublicKeyFromSeed(seed));
    }

    public PublicKey PublicKey { get; }

    public KeyAlgorithm Algorithm => PublicKey.Algorithm;

    public string KeyId => PublicKey.KeyId;

    public static PrivateKey Generate(KeyAlgorithm algorithm) => algorithm == KeyAlgorithm.Ed25519
        ? new PrivateKey(null, RandomNumberGenerator.GetBytes(OpenSslEd25519.SeedSize))
        : new PrivateKey(ECDsa.Create(ECCurve.NamedCurves.nistP256), null);

    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _ecdsa is not null
            ? _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            : OpenSslEd25519.Sign(_seed, data);

    /// <summary>PKCS#8 encrypted with <paramref name="passphrase"/>, as an ENCRYPTED PRIVATE KEY PEM block.</summary>
    public string ToEncryptedPem(ReadOnlySpan<char> passphrase)
    {
        var parameters = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pbkdf2Iterations);
        var der = _ecdsa is not null
            ? _ecdsa.ExportEncryptedPkcs8PrivateKey(passphrase, parameters)
            : Ed25519Info().Encrypt(passphrase, parameters);
        return PemEncoding.WriteString("ENCRYPTED PRIVATE KEY", der);
    }

    /// <summary>Unencrypted PKCS#8: only when the owner explicitly opted out of a passphrase.</summary>
    public string ToUnencryptedPem()
    {
        var der = _ecdsa is not null ? _ecdsa.ExportPkcs8PrivateKey() : Ed25519Info().Encode();
        try
        {
            return PemEncoding.WriteString("PRIVATE KEY", der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Reads a PKCS#8 PEM key (encrypted or not) or a SEC1 EC key; a wrong passphrase is a clear error.</summary>
    public static Result<PrivateKey> FromPem(string pem, ReadOnlySpan<char> passphrase)
    {
        PemFields found;
        try
        {
            found = PemEncoding.Find(pem);
        }
        catch (ArgumentException)
        {
            return Fail("no PEM block found");
        }
        var label = pem[found.Label];
        var der = Convert.FromBase64String(pem[found.Base64Data]);
        try
        {
            switch (label)
            {
                case "ENCRYPTED PRIVATE KEY":
                    if (passphrase.IsEmpty)
                        return Result<PrivateKey>.Fail(ErrorCodes.KeyPassphraseWrong, "the key is encrypted: give its passphrase");
                    return FromPkcs8(Pkcs8PrivateKeyInfo.DecryptAndDecode(passphrase, der, out _));
                case "PRIVATE KEY":
                    return FromPkcs8(Pkcs8PrivateKeyInfo.Decode(der, out _));
                case "EC PRIVATE KEY":
                    var ecdsa = ECDsa.Create();
                    ecdsa.ImportECPrivateKey(der, out _);
                    return FromEcdsa(ecdsa);
                default:
                    return Fail($"PEM block '{label}' is not a private key");
            }
        }
        catch (CryptographicException e) when (label == "ENCRYPTED PRIVATE KEY")
        {
            return Result<PrivateKey>.Fail(ErrorCodes.KeyPassphraseWrong, $"cannot decrypt the key: wrong passphrase or damaged file ({e.Message})");
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException)
        {
            return Fail($"cannot read the key: {e.Message}");
        }
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        if (_seed is not null)
            CryptographicOperations.ZeroMemory(_seed);
    }

    private static Result<PrivateKey> FromPkcs8(Pkcs8PrivateKeyInfo info)
    {
        if (info.AlgorithmId.Value == PublicKey.Ed25519Oid)
        {
            var seed = new AsnReader(info.PrivateKeyBytes, AsnEncodingRules.DER).ReadOctetString();
            return seed.Length == OpenSslEd25519.SeedSize ? Result<PrivateKey>.Ok(new PrivateKey(null, seed)) : Fail($"an Ed25519 key is {OpenSslEd25519.SeedSize} bytes, found {seed.Length}");
        }
        var ecdsa = ECDsa.Create();
        var der = info.Encode();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(der, out _);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
        return FromEcdsa(ecdsa);
    }

    private static Result<PrivateKey> FromEcdsa(ECDsa ecdsa)
    {
        if (ecdsa.ExportParameters(false).Curve.Oid.Value == "1.2.840.10045.3.1.7")
            return Result<PrivateKey>.Ok(new PrivateKey(ecdsa, null));
        ecdsa.Dispose();
        return Fail("only ECDSA keys on NIST P-256 are accepted");
    }

    // RFC 8410: the PKCS#8 privateKey of an Ed25519 key is an OCTET STRING holding the 32-byte seed.
    private Pkcs8PrivateKeyInfo Ed25519Info()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(_seed);
        return new Pkcs8PrivateKeyInfo(new Oid(PublicKey.Ed25519Oid), null, writer.Encode());
    }

    private static Result<PrivateKey> Fail(string message) => Result<PrivateKey>.Fail(ErrorCodes.KeyFileMalformed, message);
}
