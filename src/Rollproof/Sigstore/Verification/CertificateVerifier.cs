using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A keyless signer's certificate, once the verified times are known: valid at each of them (an expired certificate
/// is normal; only the verified times count), chained to a certificate authority trusted at each, vouched for by at
/// least one CT log, issued for code signing, and to the identity and by the OIDC issuer the caller expects.
/// </summary>
internal static class CertificateVerifier
{
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

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
        if (!ForCodeSigning(leaf))
            return Result<bool>.Fail(ErrorCodes.CertificateNotForCodeSigning, $"the signing certificate (issued by '{leaf.Issuer}') does not list code signing ({CodeSigningOid}) among its extended key usages: its authority did not issue it to sign artifacts");
        var identities = FulcioIdentity.Identities(leaf);
        if (!identities.Contains(expected.Identity, StringComparer.Ordinal))
            return Result<bool>.Fail(ErrorCodes.CertificateIdentityMismatch, $"the signing certificate is issued to {(identities.Count == 0 ? "no URI or email identity" : string.Join(", ", identities.Select(i => $"'{i}'")))}, not '{expected.Identity}'");
        var oidcIssuer = FulcioIdentity.OidcIssuer(leaf);
        if (oidcIssuer != expected.OidcIssuer)
            return Result<bool>.Fail(ErrorCodes.CertificateIssuerMismatch, $"the signing certificate's OIDC issuer is {(oidcIssuer is null ? "not recorded" : $"'{oidcIssuer}'")}, not '{expected.OidcIssuer}'");
        return Result<bool>.Ok(true);
    }

    // Fulcio issues every signing certificate for code signing; Sigstore's clients (sigstore-go, -python, -rs) refuse a
    // leaf whose EKU extension lacks it, or that has none, so a CA's certificates for other purposes sign nothing here.
    private static bool ForCodeSigning(X509Certificate2 leaf) =>
        leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages
        && usages.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(u => u.Value == CodeSigningOid);
}
