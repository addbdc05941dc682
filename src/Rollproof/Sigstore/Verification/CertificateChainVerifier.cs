using System.Security.Cryptography.X509Certificates;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A signing certificate against the trusted root's certificate authorities: it must chain, through the authority's
/// own certificates only, to the authority's root at every verified time, and the authority must be trusted at each
/// of those times. Certificates a bundle adds after the leaf are not used to build the chain; one that is a root
/// (self-issued, or a trusted root itself) is refused outright, as the bundle specification requires of signers.
/// </summary>
internal static class CertificateChainVerifier
{
    /// <returns>The certificate that issued the leaf, for checking its SCTs.</returns>
    public static Result<X509Certificate2> Verify(X509Certificate2 leaf, IReadOnlyList<byte[]> bundleChain, IReadOnlyList<CertificateAuthority> authorities, IReadOnlyList<DateTimeOffset> times)
    {
        for (var i = 0; i < bundleChain.Count; i++)
        {
            var extra = Certificates.Load(bundleChain[i]);
            if (extra is null)
                return Result<X509Certificate2>.Fail(ErrorCodes.SigningCertificateMalformed, $"$.verificationMaterial.x509CertificateChain.certificates[{i + 1}] is not a DER X.509 certificate");
            if (extra.SubjectName.RawData.AsSpan().SequenceEqual(extra.IssuerName.RawData) || authorities.Any(a => a.Root.RawData.AsSpan().SequenceEqual(extra.RawData)))
                return Result<X509Certificate2>.Fail(ErrorCodes.CertificateChainCarriesRoot, $"$.verificationMaterial.x509CertificateChain.certificates[{i + 1}] ('{extra.Subject}') is a root certificate; a bundle must not carry the root it claims to chain to");
        }
        var when = string.Join(", ", times.Select(t => t.ToString("u", System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var authority in authorities)
        {
            X509Certificate2? issuer = null;
            if (times.All(authority.ValidFor.Contains) && times.All(time => Certificates.ChainsTo(leaf, authority, time, out issuer)))
                return Result<X509Certificate2>.Ok(issuer!);
        }
        return Result<X509Certificate2>.Fail(ErrorCodes.CertificateChainUntrusted, $"the signing certificate (issued by '{leaf.Issuer}') does not chain to any certificate authority in the trusted root that was trusted at {when}{VerifiedAuthority.UnusableAmong(authorities)}");
    }
}
