using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Rollproof.Sigstore.Verification;

/// <summary>Loading untrusted DER certificates without exceptions escaping, and the checks every caller repeats.</summary>
internal static class Certificates
{
    /// <summary>The certificate <paramref name="der"/> holds, or null when it is not exactly one DER X.509 certificate.</summary>
    public static X509Certificate2? Load(byte[] der)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="time"/> lies within the certificate's notBefore..notAfter, both inclusive.</summary>
    public static bool ValidAt(X509Certificate2 certificate, DateTimeOffset time) =>
        time >= new DateTimeOffset(certificate.NotBefore.ToUniversalTime()) && time <= new DateTimeOffset(certificate.NotAfter.ToUniversalTime());

    /// <summary>
    /// Whether <paramref name="certificate"/> chains, through <paramref name="authority"/>'s own certificates, to its
    /// root with every certificate valid at <paramref name="time"/>; <paramref name="issuer"/> is the one that issued it.
    /// </summary>
    public static bool ChainsTo(X509Certificate2 certificate, CertificateAuthority authority, DateTimeOffset time, out X509Certificate2? issuer) =>
        VerifiedAuthority.Of(authority).Chains(certificate, time, out issuer);
}
