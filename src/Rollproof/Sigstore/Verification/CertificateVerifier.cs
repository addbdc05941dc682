using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A keyless signer's certificate, once the verified times are known: valid at each of them (an expired certificate
/// is normal; only the verified times count), chained to a certificate authority trusted at each, vouched for by at
/// least one CT log, and issued to the identity and by the OIDC issuer the caller expects.
/// </summary>
internal static class CertificateVerifier
{
    public static Result<bool> Verify(X509Certificate2 leaf, IReadOnlyList<byte[]> bundleChain, ExpectedSigner expected, TrustedRootMaterial trustedRoot, IReadOnlyList<DateTimeOffset> times)
    {
        foreach (var time in times)
        {
            if (!Certificates.ValidAt(leaf, time))
                return Result<bool>.Fail(ErrorCodes.CertificateNotValidAtTime, $"the signing certificate is valid from {leaf.NotBefore.ToUniversalTime():u} to {leaf.NotAfter.ToUniversalTime():u}, not at the verified time {time.ToString("u", CultureInfo.InvariantCulture)}");
        }
        var issuer = CertificateChainVerifier.Verify(leaf, bundleChain, trustedRoot.CertificateAuthorities, times);
        if (!issuer.IsOk)
            return issuer.Problem;
        var scts = EmbeddedSctVerifier.Verify(leaf, issuer.Value, trustedRoot.Ctlogs);
        if (!scts.IsOk)
            return scts.Problem;
        var identities = FulcioIdentity.Identities(leaf);
        if (!identities.Contains(expected.Identity, StringComparer.Ordinal))
            return Result<bool>.Fail(ErrorCodes.CertificateIdentityMismatch, $"the signing certificate is issued to {(identities.Count == 0 ? "no URI or email identity" : string.Join(", ", identities.Select(i => $"'{i}'")))}, not '{expected.Identity}'");
        var oidcIssuer = FulcioIdentity.OidcIssuer(leaf);
        if (oidcIssuer != expected.OidcIssuer)
            return Result<bool>.Fail(ErrorCodes.CertificateIssuerMismatch, $"the signing certificate's OIDC issuer is {(oidcIssuer is null ? "not recorded" : $"'{oidcIssuer}'")}, not '{expected.OidcIssuer}'");
        return Result<bool>.Ok(true);
    }
}
