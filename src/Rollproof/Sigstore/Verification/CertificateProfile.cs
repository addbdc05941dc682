using System.Security.Cryptography.X509Certificates;

namespace Rollproof.Sigstore.Verification;

/// <summary>What a certificate's extensions let it be in a path (RFC 5280 §4.2), as far as this verifier applies them.</summary>
internal static class CertificateProfile
{
    private const string NameConstraints = "2.5.29.30";

    // Applied here, or by the callers (SAN and EKU: the Fulcio identity and code signing of a signing certificate; a
    // timestamp signer's by .NET's RFC 3161 token check), or constraining nothing when any policy is accepted (certificate
    // policies). A critical extension outside this list (a precertificate's CT poison, policy constraints, a private
    // one) means the certificate must not be relied on (RFC 5280 §4.2).
    private static readonly HashSet<string> Understood =
    [
        "2.5.29.14", // subject key identifier
        "2.5.29.15", // key usage
        "2.5.29.17", // subject alternative name
        "2.5.29.19", // basic constraints
        "2.5.29.32", // certificate policies
        "2.5.29.35", // authority key identifier
        "2.5.29.37", // extended key usage
    ];

    /// <summary>Why the certificate must not be relied on for its extensions, null when it may.</summary>
    public static string? UnappliedCriticalExtension(X509Certificate2 certificate) =>
        certificate.Extensions.FirstOrDefault(e => e.Critical && !Understood.Contains(e.Oid?.Value ?? "")) is { } extension
            ? $"it has a critical extension ({extension.Oid?.Value}) this verifier does not apply"
            : null;

    /// <summary>
    /// Why the certificate may not issue certificates, null when it may; <paramref name="pathLength"/> is how many
    /// certificate authorities may come between it and a leaf (null: any number).
    /// </summary>
    public static string? WhyNotIssuer(X509Certificate2 certificate, out int? pathLength)
    {
        pathLength = null;
        var extensions = certificate.Extensions;
        if (extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true } basic)
            return "its basic constraints do not make it a certificate authority";
        if (extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
            return "its key usage does not include certificate signing";
        if (extensions.Any(e => e.Oid?.Value == NameConstraints))
            return "it carries name constraints, which this verifier does not apply";
        pathLength = basic.HasPathLengthConstraint ? basic.PathLengthConstraint : null;
        return null;
    }
}
