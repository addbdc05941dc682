using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// A real Fulcio certificate (staging, from testvectors/sigstore-bundles/rekor2-happy-path) at the time its RFC 3161
/// timestamp vouches for: it verifies as issued, and each way of expecting the wrong thing of it is refused by name.
/// </summary>
public class CertificateVerifierTests
{
    private static readonly SigstoreVector Vector = new("rekor2-happy-path");
    private static readonly JsonNode Bundle = JsonNode.Parse(File.ReadAllBytes(Vector.BundlePath))!;
    private static readonly X509Certificate2 Leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Bundle["verificationMaterial"]!["certificate"]!["rawBytes"]!.GetValue<string>()));
    private static readonly TrustedRootMaterial Root = Vector.TrustedRoot;
    private static readonly DateTimeOffset SignedAt = TimestampVerifier.Verify(
        Convert.FromBase64String(Bundle["verificationMaterial"]!["timestampVerificationData"]!["rfc3161Timestamps"]![0]!["signedTimestamp"]!.GetValue<string>()),
        0,
        Convert.FromBase64String(Bundle["messageSignature"]!["signature"]!.GetValue<string>()),
        Root.TimestampAuthorities).Value;

    private static Problem? Verify(ExpectedSigner? expected = null, TrustedRootMaterial? root = null, IReadOnlyList<byte[]>? chain = null, DateTimeOffset? at = null) =>
        CertificateVerifier.Verify(Leaf, chain ?? [], expected ?? Vector.Signer, root ?? Root, [at ?? SignedAt]).Problem;

    [Fact]
    public void The_certificate_verifies_at_its_timestamp_with_chain_SCT_identity_and_issuer()
    {
        Assert.Null(Verify());
    }

    [Fact]
    public void An_expired_certificate_still_verifies_at_its_verified_time_but_not_after_it()
    {
        Assert.True(Leaf.NotAfter < DateTime.UtcNow);
        Assert.Equal(ErrorCodes.CertificateNotValidAtTime, Verify(at: new DateTimeOffset(Leaf.NotAfter.ToUniversalTime()).AddSeconds(1))?.Code);
    }

    [Fact]
    public void Another_identity_is_refused()
    {
        Assert.Equal(ErrorCodes.CertificateIdentityMismatch, Verify(ExpectedSigner.Certificate(SigstoreVector.BeaconIdentity + "x", SigstoreVector.BeaconIssuer))?.Code);
        Assert.Equal(ErrorCodes.CertificateIdentityMismatch, Verify(ExpectedSigner.Certificate("https://github.com/sigstore-conformance", SigstoreVector.BeaconIssuer))?.Code);
    }

    [Fact]
    public void Another_issuer_is_refused()
    {
        Assert.Equal(ErrorCodes.CertificateIssuerMismatch, Verify(ExpectedSigner.Certificate(SigstoreVector.BeaconIdentity, "https://accounts.google.com"))?.Code);
    }

    [Fact]
    public void A_chain_that_carries_the_root_is_refused()
    {
        var ca = Root.CertificateAuthorities[0];

        Assert.Equal(ErrorCodes.CertificateChainCarriesRoot, Verify(chain: [.. ca.Chain.Select(c => c.RawData)])?.Code);
    }

    [Fact]
    public void A_certificate_authority_that_was_not_trusted_at_the_verified_time_is_refused()
    {
        var expired = Root with { CertificateAuthorities = [.. Root.CertificateAuthorities.Select(ca => ca with { ValidFor = new ValidityPeriod(ca.ValidFor.Start, SignedAt.AddSeconds(-1)) })] };
        var inclusiveEnd = Root with { CertificateAuthorities = [.. Root.CertificateAuthorities.Select(ca => ca with { ValidFor = new ValidityPeriod(ca.ValidFor.Start, SignedAt) })] };

        Assert.Equal(ErrorCodes.CertificateChainUntrusted, Verify(root: expired)?.Code);
        Assert.Null(Verify(root: inclusiveEnd));
    }

    [Fact]
    public void A_certificate_from_an_authority_the_root_does_not_name_is_refused()
    {
        Assert.Equal(ErrorCodes.CertificateChainUntrusted, Verify(root: Root with { CertificateAuthorities = new SigstoreVector("managed-key-and-trusted-root").TrustedRoot.TimestampAuthorities })?.Code);
    }

    [Fact]
    public void Without_a_trusted_CT_log_the_SCTs_do_not_verify()
    {
        Assert.Equal(ErrorCodes.SctInvalid, Verify(root: Root with { Ctlogs = [] })?.Code);
        Assert.Equal(ErrorCodes.SctInvalid, Verify(root: Root with { Ctlogs = [.. Root.Ctlogs.Select(log => log with { PublicKeySpki = Root.Tlogs[0].PublicKeySpki })] })?.Code);
    }

    [Fact]
    public void A_certificate_of_a_trusted_authority_without_the_code_signing_key_usage_is_refused()
    {
        using var fulcio = new TestFulcio();
        using var codeSigning = fulcio.Issue(TestFulcio.CodeSigning, "1.3.6.1.5.5.7.3.1");
        using var serverAuth = fulcio.Issue("1.3.6.1.5.5.7.3.1");
        using var noUsage = fulcio.Issue();
        var expected = ExpectedSigner.Certificate(TestFulcio.Identity, TestFulcio.OidcIssuer);

        Problem? Check(X509Certificate2 leaf) => CertificateVerifier.Verify(leaf, [], expected, fulcio.Root, [TestFulcio.SignedAt]).Problem;

        Assert.Null(Check(codeSigning));
        Assert.Equal(ErrorCodes.CertificateNotForCodeSigning, Check(serverAuth)?.Code);
        Assert.Equal(ErrorCodes.CertificateNotForCodeSigning, Check(noUsage)?.Code);
    }
}
