using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Common;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// Verifies a Sigstore bundle offline, with nothing but the bundle, the artifact (or its digest), whom the caller
/// expects to have signed it, and a trusted root. In order: the bundle's form and version rules; the signer (the
/// caller's key, or the bundle's certificate); the content's signature over the artifact; RFC 3161 timestamps; every
/// transparency-log entry; then, for a certificate, its validity, chain, embedded SCTs and identity at every verified
/// time. docs/sigstore-verification.md lists the checks and their codes.
/// </summary>
public static class SigstoreBundleVerifier
{
    /// <summary>The largest bundle accepted: room for a large DSSE payload (an SBOM or provenance), and no more.</summary>
    public const int MaxBundleSize = BundleDocument.MaxSize;

    public static Result<VerifiedBundle> Verify(byte[] bundleJson, BundleArtifact artifact, ExpectedSigner expected, TrustedRootMaterial trustedRoot, DateTimeOffset now)
    {
        var parsed = BundleDocument.Parse(bundleJson);
        if (!parsed.IsOk)
            return parsed.Problem;
        var bundle = parsed.Value;
        var signer = SignerOf(bundle, expected);
        if (!signer.IsOk)
            return signer.Problem;
        var (material, certificate) = signer.Value;
        var key = SigningKey.FromSpki(material.PublicKeySpki ?? certificate!.PublicKey.ExportSubjectPublicKeyInfo());
        if (!key.IsOk)
            return key.Problem;
        Result<SignedContent> content;
        using (key.Value)
            content = ContentVerifier.Verify(bundle, artifact, key.Value, material);
        if (!content.IsOk)
            return content.Problem;
        var timestamps = new List<DateTimeOffset>();
        for (var i = 0; i < bundle.Rfc3161Timestamps.Count; i++)
        {
            var time = TimestampVerifier.Verify(bundle.Rfc3161Timestamps[i], i, content.Value.Signature, trustedRoot.TimestampAuthorities);
            if (!time.IsOk)
                return time.Problem;
            timestamps.Add(time.Value);
        }
        if (bundle.TlogEntries.Count == 0)
            return Result<VerifiedBundle>.Fail(ErrorCodes.NoTlogEntry, "$.verificationMaterial.tlogEntries is empty: no transparency log vouches for the signature");
        var entries = new List<VerifiedTlogEntry>();
        for (var i = 0; i < bundle.TlogEntries.Count; i++)
        {
            var entry = TlogEntryVerifier.Verify(bundle.TlogEntries[i], content.Value, trustedRoot.Tlogs, timestamps, now);
            if (!entry.IsOk)
                return entry.Problem with { Message = $"$.verificationMaterial.tlogEntries[{i}]: {entry.Problem.Message}" };
            entries.Add(entry.Value);
        }
        List<DateTimeOffset> times = [.. timestamps, .. entries.Select(e => e.IntegratedTime).OfType<DateTimeOffset>()];
        if (times.Count == 0)
            return Result<VerifiedBundle>.Fail(ErrorCodes.NoVerifiedTime, "the bundle has no verified time: no RFC 3161 timestamp and no transparency-log entry with a signed integrated time");
        if (certificate is not null)
        {
            var checkedCertificate = CertificateVerifier.Verify(certificate, bundle.ChainCertificates, expected, trustedRoot, times);
            if (!checkedCertificate.IsOk)
                return checkedCertificate.Problem;
        }
        return Result<VerifiedBundle>.Ok(new VerifiedBundle(bundle.MediaType, content.Value, entries, times, expected.Identity, expected.OidcIssuer));
    }

    // The caller's expectation decides the form: a key expects a key-hint bundle, an identity a certificate.
    private static Result<(SignerMaterial Material, X509Certificate2? Certificate)> SignerOf(BundleDocument bundle, ExpectedSigner expected)
    {
        if (expected.PublicKeySpki is { } spki)
        {
            return bundle.LeafCertificate is null
                ? Result<(SignerMaterial, X509Certificate2?)>.Ok((new SignerMaterial(null, spki), null))
                : Result<(SignerMaterial, X509Certificate2?)>.Fail(ErrorCodes.BundleKeyMismatch, "the bundle is signed with a certificate, but a public key was given to verify it with; give the certificate's expected identity and issuer instead");
        }
        if (bundle.LeafCertificate is not { } der)
            return Result<(SignerMaterial, X509Certificate2?)>.Fail(ErrorCodes.BundleKeyMismatch, "the bundle names its signer by a key hint, not a certificate; verify it with the signer's public key (--key)");
        var certificate = Certificates.Load(der);
        return certificate is null
            ? Result<(SignerMaterial, X509Certificate2?)>.Fail(ErrorCodes.SigningCertificateMalformed, "the bundle's signing certificate is not a DER X.509 certificate")
            : Result<(SignerMaterial, X509Certificate2?)>.Ok((new SignerMaterial(der, null), certificate));
    }
}
