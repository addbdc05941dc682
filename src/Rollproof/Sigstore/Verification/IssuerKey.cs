using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Signing;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A certificate authority's public key, imported once, checking the signatures of the certificates it issued:
/// ECDSA on P-256, P-384 or P-521, RSA of 2048 bits or more, Ed25519. Other keys issue nothing here.
/// </summary>
internal sealed class IssuerKey
{
    private const int MinRsaBits = 2048;
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
        try
        {
            switch (certificate.PublicKey.Oid.Value)
            {
                case "1.2.840.10045.2.1":
                    var ecdsa = certificate.GetECDsaPublicKey()!;
                    var curve = ecdsa.ExportParameters(false).Curve.Oid?.Value;
                    return curve is not null && NistCurves.Contains(curve) ? (new(ecdsa, null, null), null) : (null, $"its ECDSA key is on curve {curve ?? "(explicit)"}, not P-256, P-384 or P-521");
                case "1.2.840.113549.1.1.1":
                    var rsa = certificate.GetRSAPublicKey()!;
                    return rsa.KeySize >= MinRsaBits ? (new(null, rsa, null), null) : (null, $"its {rsa.KeySize}-bit RSA key is too weak to trust ({MinRsaBits} bits at least)");
                case "1.3.101.112" when certificate.PublicKey.EncodedKeyValue.RawData is { Length: OpenSslEd25519.PublicKeySize } raw:
                    return (new(null, null, raw), null);
                default:
                    return (null, $"its key of algorithm {certificate.PublicKey.Oid.Value} is not ECDSA, RSA or Ed25519");
            }
        }
        catch (CryptographicException e)
        {
            return (null, $"its key cannot be read: {e.Message}");
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
