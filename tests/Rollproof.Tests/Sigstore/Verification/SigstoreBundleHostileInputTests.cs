using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// Real bundles from testvectors/sigstore-bundles, altered the way an attacker or a broken producer would: each must
/// be refused with the code that names what is wrong, before any transparency-log entry is trusted.
/// </summary>
public class SigstoreBundleHostileInputTests
{
    private static readonly SigstoreVector KeyBundle = new("managed-key-and-trusted-root");
    private static readonly SigstoreVector CertificateBundle = new("rekor2-happy-path");
    private static readonly SigstoreVector DsseBundle = new("rekor2-dsse-happy-path");

    private static JsonObject Json(SigstoreVector vector) => JsonNode.Parse(File.ReadAllBytes(vector.BundlePath))!.AsObject();

    private static Problem? Verify(SigstoreVector vector, JsonObject bundle, BundleArtifact? artifact = null, ExpectedSigner? signer = null) =>
        SigstoreBundleVerifier.Verify(Encoding.UTF8.GetBytes(bundle.ToJsonString()), artifact ?? vector.Artifact(asDigest: false), signer ?? vector.Signer, vector.TrustedRoot, DateTimeOffset.UtcNow).Problem;

    private static string Flip(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[^1] ^= 1;
        return Convert.ToBase64String(bytes);
    }

    [Fact]
    public void A_tampered_message_signature_is_refused()
    {
        var bundle = Json(KeyBundle);
        var signature = bundle["messageSignature"]!["signature"]!;
        bundle["messageSignature"]!["signature"] = Flip(signature.GetValue<string>());

        Assert.Equal(ErrorCodes.BundleSignatureInvalid, Verify(KeyBundle, bundle)?.Code);
    }

    [Fact]
    public void A_tampered_dsse_signature_is_refused()
    {
        var bundle = Json(DsseBundle);
        var signature = bundle["dsseEnvelope"]!["signatures"]![0]!["sig"]!;
        bundle["dsseEnvelope"]!["signatures"]![0]!["sig"] = Flip(signature.GetValue<string>());

        Assert.Equal(ErrorCodes.BundleSignatureInvalid, Verify(DsseBundle, bundle)?.Code);
    }

    [Fact]
    public void Another_artifact_is_refused_by_file_and_by_digest()
    {
        var other = BundleArtifact.FromBytes("not the signed artifact"u8.ToArray());

        Assert.Equal(ErrorCodes.ArtifactDigestMismatch, Verify(KeyBundle, Json(KeyBundle), other)?.Code);
        Assert.Equal(ErrorCodes.ArtifactDigestMismatch, Verify(KeyBundle, Json(KeyBundle), BundleArtifact.FromDigest(other.Sha256))?.Code);
        Assert.Equal(ErrorCodes.InTotoSubjectMismatch, Verify(DsseBundle, Json(DsseBundle), other)?.Code);
    }

    [Fact]
    public void A_message_signature_without_a_digest_is_still_checked_against_the_artifact()
    {
        var bundle = Json(KeyBundle);
        bundle["messageSignature"]!.AsObject().Remove("messageDigest");

        Assert.Equal(ErrorCodes.BundleSignatureInvalid, Verify(KeyBundle, bundle, BundleArtifact.FromBytes("other"u8.ToArray()))?.Code);
    }

    [Fact]
    public void A_dsse_envelope_with_two_signatures_is_refused()
    {
        var bundle = Json(DsseBundle);
        var signatures = bundle["dsseEnvelope"]!["signatures"]!.AsArray();
        signatures.Add(signatures[0]!.DeepClone());

        Assert.Equal(ErrorCodes.DsseEnvelopeInvalid, Verify(DsseBundle, bundle)?.Code);
    }

    [Theory]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=0.4")]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.3+json ")]
    [InlineData("application/json")]
    public void An_unknown_media_type_is_refused(string mediaType)
    {
        var bundle = Json(KeyBundle);
        bundle["mediaType"] = mediaType;

        Assert.Equal(ErrorCodes.BundleMediaTypeUnknown, Verify(KeyBundle, bundle)?.Code);
    }

    [Fact]
    public void A_v01_entry_without_an_inclusion_promise_is_refused()
    {
        var bundle = Json(KeyBundle);
        bundle["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1";
        bundle["verificationMaterial"]!["tlogEntries"]![0]!.AsObject().Remove("inclusionPromise");

        Assert.Equal(ErrorCodes.BundleVersionRuleBroken, Verify(KeyBundle, bundle)?.Code);
    }

    [Fact]
    public void A_single_certificate_in_a_v02_bundle_is_refused()
    {
        var bundle = Json(CertificateBundle);
        bundle["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.2";

        Assert.Equal(ErrorCodes.BundleVersionRuleBroken, Verify(CertificateBundle, bundle)?.Code);
    }

    [Fact]
    public void The_signer_form_must_be_the_one_the_caller_expects()
    {
        var key = KeyBundle.Signer;

        Assert.Equal(ErrorCodes.BundleKeyMismatch, Verify(CertificateBundle, Json(CertificateBundle), signer: key)?.Code);
        Assert.Equal(ErrorCodes.BundleKeyMismatch, Verify(KeyBundle, Json(KeyBundle), signer: CertificateBundle.Signer)?.Code);
    }

    [Fact]
    public void A_key_hint_naming_another_key_is_ignored_as_the_unauthenticated_hint_it_is()
    {
        var bundle = Json(KeyBundle);
        bundle["verificationMaterial"]!["publicKey"]!["hint"] = Convert.ToBase64String(new byte[32]);

        Assert.Null(Verify(KeyBundle, bundle));
    }

    [Fact]
    public void Another_key_does_not_verify_the_signature()
    {
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        Assert.Equal(ErrorCodes.BundleSignatureInvalid, Verify(KeyBundle, Json(KeyBundle), signer: ExpectedSigner.Key(other.ExportSubjectPublicKeyInfo()))?.Code);
    }

    [Fact]
    public void Oversize_bundles_and_too_many_entries_are_refused_before_parsing_further()
    {
        var huge = new byte[SigstoreBundleVerifier.MaxBundleSize + 1];
        Assert.Equal(ErrorCodes.InputTooLarge, SigstoreBundleVerifier.Verify(huge, KeyBundle.Artifact(false), KeyBundle.Signer, KeyBundle.TrustedRoot, DateTimeOffset.UtcNow).Problem?.Code);

        var bundle = Json(KeyBundle);
        var entries = bundle["verificationMaterial"]!["tlogEntries"]!.AsArray();
        while (entries.Count <= 16)
            entries.Add(entries[0]!.DeepClone());
        Assert.Equal(ErrorCodes.BundleMalformed, Verify(KeyBundle, bundle)?.Code);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"mediaType\": 3}")]
    [InlineData("{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\"}")]
    [InlineData("{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\", \"verificationMaterial\": {\"publicKey\": {}}, \"messageSignature\": {\"signature\": \"!!\"}}")]
    [InlineData("{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\", \"verificationMaterial\": {\"publicKey\": {}}, \"messageSignature\": {\"signature\": \"AA==\"}, \"dsseEnvelope\": {}}")]
    public void Malformed_bundles_are_refused_with_a_path(string json)
    {
        var problem = SigstoreBundleVerifier.Verify(Encoding.UTF8.GetBytes(json), KeyBundle.Artifact(false), KeyBundle.Signer, KeyBundle.TrustedRoot, DateTimeOffset.UtcNow).Problem;

        Assert.Equal(ErrorCodes.BundleMalformed, problem?.Code);
    }

    [Fact]
    public void A_trusted_root_log_without_a_validity_start_is_refused()
    {
        var root = JsonNode.Parse(File.ReadAllBytes(KeyBundle.TrustedRootPath))!;
        root["tlogs"]![0]!["publicKey"]!["validFor"]!.AsObject().Remove("start");

        var parsed = TrustedRootMaterial.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()));

        Assert.Equal(ErrorCodes.SigstoreTrustedRootMalformed, parsed.Problem?.Code);
        Assert.Contains("start", parsed.Problem!.Message, StringComparison.Ordinal);
    }
}
