using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Signing;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A certificate authority's public key, imported once, checking the signatures of the certificates it issued:
/// ECDSA on P-256, P-384 or P-521, RSA of 2048 bits or more, Ed25519. Other keys issue nothing here. The imported
/// key objects are shared by every thread verifying under the trusted root, as the log keys are (<see cref="TlogLogKey"/>):
/// OpenSSL, under .NET's keys on Linux, verifies with a shared key concurrently.
/// </summary>
internal sealed class IssuerKey
{
    private const int MinRsaBits = 2048;
    private const string EcOid = "1.2.840.10045.2.1";
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string Ed25519Oid = "1.3.101.112";
    private static readonly HashSet<string> NistCurves = ["1.2.840.10045.3.1.7", "1.3.132.0.34", "1.3.132.0.35"];

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;
    private readonly byte[]? _ed25519;

    private IssuerKey(ECDsa? ecdsa, RSA? rsa, byte[]? ed25519)
    {
        _ecdsa = ecdsa;
        _rsa = rsa;
        _ed25519 = ed25519;
    }

    /// <summary>The certificate's key, or why it issues nothing here.</summary>
    public static (IssuerKey? Key, string? Unusable) Of(X509Certificate2 certificate)
    {
        if (Weakness(certificate) is { } weakness)
            return (null, weakness);
        try
        {
            return certificate.PublicKey.Oid.Value switch
            {
                EcOid => (new(certificate.GetECDsaPublicKey(), null, null), null),
                RsaOid => (new(null, certificate.GetRSAPublicKey(), null), null),
                _ => (new(null, null, certificate.PublicKey.EncodedKeyValue.RawData), null),
            };
        }
        catch (CryptographicException e)
        {
            return (null, $"its key cannot be read: {e.Message}");
        }
    }

    /// <summary>
    /// Why the certificate's key is not one to trust a signature of (a certificate's, or a timestamp's), null when it
    /// is; judged without importing an elliptic-curve key, which costs a point check.
    /// </summary>
    public static string? Weakness(X509Certificate2 certificate)
    {
        var key = certificate.PublicKey;
        try
        {
            switch (key.Oid.Value)
            {
                case EcOid:
                    var curve = NamedCurve(key.EncodedParameters?.RawData);
                    return curve is not null && NistCurves.Contains(curve) ? null : $"its ECDSA key is on curve {curve ?? "(explicit parameters)"}, not P-256, P-384 or P-521";
                case RsaOid:
                    using (var rsa = certificate.GetRSAPublicKey()!)
                        return rsa.KeySize >= MinRsaBits ? null : $"its {rsa.KeySize}-bit RSA key is too weak to trust ({MinRsaBits} bits at least)";
                case Ed25519Oid:
                    return key.EncodedKeyValue.RawData.Length == OpenSslEd25519.PublicKeySize ? null : "its Ed25519 key is not 32 bytes";
                default:
                    return $"its key of algorithm {key.Oid.Value} is not ECDSA, RSA or Ed25519";
            }
        }
        catch (CryptographicException e)
        {
            return $"its key cannot be read: {e.Message}";
        }
    }

    private static string? NamedCurve(byte[]? parameters)
    {
        if (parameters is null)
            return null;
        try
        {
            var reader = new AsnReader(parameters, AsnEncodingRules.DER);
            var curve = reader.ReadObjectIdentifier();
            return reader.HasData ? null : curve;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    /// <summary>Whether this key made the certificate's signature, with the algorithm the certificate names.</summary>
    public bool Signed(SignedCertificate certificate)
    {
        var (tbs, algorithm, signature) = (certificate.Tbs, certificate.Algorithm, certificate.Signature);
        try
        {
            return algorithm.Kind switch
            {
                CertificateSignatureKind.Ecdsa => _ecdsa?.VerifyData(tbs.Span, signature, algorithm.Hash, DSASignatureFormat.Rfc3279DerSequence) == true,
                CertificateSignatureKind.RsaPkcs1 => _rsa?.VerifyData(tbs.Span, signature, algorithm.Hash, RSASignaturePadding.Pkcs1) == true,
                CertificateSignatureKind.RsaPss => _rsa?.VerifyData(tbs.Span, signature, algorithm.Hash, RSASignaturePadding.Pss) == true,
                CertificateSignatureKind.Ed25519 => _ed25519 is { } key && OpenSslEd25519.Verify(key, tbs.Span, signature),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
