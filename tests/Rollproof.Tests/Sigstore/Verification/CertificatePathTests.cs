using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Rollproof.Common;
using Rollproof.Sigstore.Verification;
using static Rollproof.Tests.Sigstore.Verification.TestCertificates;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// A certificate against one authority of a trusted root, at one time: the paths X.509 allows chain, and each way an
/// attacker who holds some key but not the authority's (or an authority that issued what it may not) would make a
/// certificate chain is refused.
/// </summary>
public class CertificatePathTests
{
    private static readonly Issued FulcioRoot = Root();
    private static readonly Issued FulcioIntermediate = Intermediate(FulcioRoot);
    private static readonly CertificateAuthority Fulcio = Authority(FulcioIntermediate, FulcioRoot);

    private static CertificateAuthority Authority(params Issued[] chain) =>
        new("https://ca.test", [.. chain.Select(c => c.Certificate)], new ValidityPeriod(At.AddYears(-2), null));

    private static bool Chains(X509Certificate2 certificate, CertificateAuthority authority, DateTimeOffset? at = null) =>
        Certificates.ChainsTo(certificate, authority, at ?? At, out _);

    [Fact]
    public void A_leaf_of_the_intermediate_chains_and_names_it_as_its_issuer()
    {
        Assert.True(Certificates.ChainsTo(Leaf(FulcioIntermediate), Fulcio, At, out var issuer));
        Assert.Equal(FulcioIntermediate.Certificate.RawData, issuer!.RawData);
    }

    [Fact]
    public void A_leaf_of_a_root_alone_chains()
    {
        Assert.True(Chains(Leaf(FulcioRoot), Authority(FulcioRoot)));
    }

    [Fact]
    public void A_leaf_the_root_issued_past_the_intermediate_chains()
    {
        Assert.True(Chains(Leaf(FulcioRoot), Fulcio));
    }

    [Fact]
    public void RSA_chains_with_PKCS1_and_PSS_signatures_chain()
    {
        var root = Root(key: RSA.Create(3072), hash: HashAlgorithmName.SHA256);
        var pss = Intermediate(root, key: RSA.Create(2048), hash: HashAlgorithmName.SHA256, padding: RSASignaturePadding.Pss);

        Assert.True(Chains(Leaf(pss, HashAlgorithmName.SHA512, RSASignaturePadding.Pss), Authority(pss, root)));
        Assert.True(Chains(Leaf(root, HashAlgorithmName.SHA256), Authority(root)));
    }

    [Fact]
    public void A_timestamp_authority_s_own_signing_certificate_chains_as_listed_first_in_its_chain()
    {
        var tsa = Intermediate(FulcioIntermediate, "CN=test tsa", ca: false, usage: X509KeyUsageFlags.DigitalSignature);

        Assert.True(Certificates.ChainsTo(tsa.Certificate, Authority(tsa, FulcioIntermediate, FulcioRoot), At, out var issuer));
        Assert.Equal(FulcioIntermediate.Certificate.RawData, issuer!.RawData);
    }

    [Fact]
    public void A_leaf_signed_by_an_attacker_s_key_under_the_intermediate_s_name_is_refused()
    {
        var impostor = Intermediate(Root("CN=attacker root"), FulcioIntermediate.Certificate.Subject);

        Assert.False(Chains(Leaf(impostor), Fulcio));
    }

    [Fact]
    public void A_leaf_signed_by_the_intermediate_but_naming_another_issuer_is_refused()
    {
        Assert.False(Chains(Leaf(FulcioIntermediate, issuerName: "CN=someone else"), Fulcio));
    }

    [Fact]
    public void A_certificate_issued_by_a_timestamp_authority_s_signing_certificate_is_refused()
    {
        var tsa = Intermediate(FulcioIntermediate, "CN=test tsa", ca: false, usage: X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign);

        Assert.False(Chains(Leaf(tsa), Authority(tsa, FulcioIntermediate, FulcioRoot)));
    }

    [Fact]
    public void A_certificate_issued_by_a_CA_whose_key_usage_excludes_certificate_signing_is_refused()
    {
        var signingOnly = Intermediate(FulcioRoot, usage: X509KeyUsageFlags.DigitalSignature);

        Assert.False(Chains(Leaf(signingOnly), Authority(signingOnly, FulcioRoot)));
    }

    [Fact]
    public void A_path_longer_than_the_root_s_path_length_constraint_allows_is_refused()
    {
        var root = Root(pathLength: 0);
        var intermediate = Intermediate(root);

        Assert.True(Chains(Leaf(root), Authority(intermediate, root)));
        Assert.False(Chains(Leaf(intermediate), Authority(intermediate, root)));
    }

    [Fact]
    public void An_intermediate_the_root_did_not_sign_is_refused_even_when_the_trusted_root_lists_it_and_the_refusal_says_so()
    {
        var stray = Intermediate(Root("CN=test root"));
        var authority = Authority(stray, FulcioRoot);

        Assert.False(Chains(Leaf(stray), authority));
        var refused = CertificateChainVerifier.Verify(Leaf(stray), [], [authority], [At]);
        Assert.Equal(ErrorCodes.CertificateChainUntrusted, refused.Problem?.Code);
        Assert.Contains("the authority 'https://ca.test' vouches for nothing, since certificate 1 of its chain ('CN=test intermediate') is not signed, under its issuer's name, by certificate 2", refused.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_authority_of_the_built_in_trusted_roots_verifies(bool staging)
    {
        var root = TrustedRootMaterial.Parse((staging ? SigstoreTrustedRoots.Staging : SigstoreTrustedRoots.PublicGood).ToArray()).Value;

        Assert.All(root.CertificateAuthorities.Concat(root.TimestampAuthorities), a => Assert.Null(VerifiedAuthority.Of(a).Unusable));
    }

    [Theory]
    [InlineData("1.3.6.1.4.1.11129.2.4.3")] // the CT poison of a precertificate
    [InlineData("1.3.6.1.4.1.57264.99")]
    public void A_leaf_with_a_critical_extension_nobody_here_understands_is_refused(string oid)
    {
        Assert.True(Chains(Leaf(FulcioIntermediate, extra: new X509Extension(oid, [5, 0], critical: false)), Fulcio));
        Assert.False(Chains(Leaf(FulcioIntermediate, extra: new X509Extension(oid, [5, 0], critical: true)), Fulcio));
    }

    [Fact]
    public void An_intermediate_with_a_critical_extension_nobody_here_understands_issues_nothing()
    {
        var odd = Intermediate(FulcioRoot, extra: new X509Extension("1.3.6.1.4.1.57264.99", [5, 0], critical: true));

        Assert.False(Chains(Leaf(odd), Authority(odd, FulcioRoot)));
    }

    [Fact]
    public void Every_certificate_of_the_path_must_be_valid_at_the_time()
    {
        var expiring = Intermediate(FulcioRoot, notAfter: At.AddMinutes(1));

        Assert.True(Chains(Leaf(expiring), Authority(expiring, FulcioRoot), At.AddMinutes(1)));
        Assert.False(Chains(Leaf(expiring), Authority(expiring, FulcioRoot), At.AddMinutes(1).AddSeconds(1)));
        Assert.False(Chains(Leaf(FulcioIntermediate), Fulcio, At.AddMinutes(6)));
        Assert.False(Chains(Leaf(FulcioIntermediate), Fulcio, At.AddMinutes(-6)));
    }

    [Fact]
    public void A_leaf_signed_with_SHA1_is_refused()
    {
        var root = Root(key: RSA.Create(2048), hash: HashAlgorithmName.SHA256);
        var leaf = Leaf(root, HashAlgorithmName.SHA256);
        const string sha256WithRsa = "1.2.840.113549.1.1.11", sha1WithRsa = "1.2.840.113549.1.1.5";

        Assert.True(Chains(Resigned(leaf, root.Key, HashAlgorithmName.SHA256, sha256WithRsa, sha256WithRsa), Authority(root)));
        Assert.False(Chains(Resigned(leaf, root.Key, HashAlgorithmName.SHA1, sha1WithRsa, sha1WithRsa), Authority(root)));
    }

    [Fact]
    public void A_leaf_issued_by_a_1024_bit_RSA_key_is_refused()
    {
        var weak = Intermediate(FulcioRoot, key: RSA.Create(1024));

        Assert.False(Chains(Leaf(weak, HashAlgorithmName.SHA256), Authority(weak, FulcioRoot)));
    }

    [Fact]
    public void A_leaf_whose_signed_algorithm_differs_from_the_one_it_is_signed_with_is_refused()
    {
        var leaf = Leaf(FulcioIntermediate);
        const string ecdsaWithSha384 = "1.2.840.10045.4.3.3", ecdsaWithSha256 = "1.2.840.10045.4.3.2";

        Assert.True(Chains(Resigned(leaf, FulcioIntermediate.Key, HashAlgorithmName.SHA384, ecdsaWithSha384, ecdsaWithSha384), Fulcio));
        Assert.False(Chains(Resigned(leaf, FulcioIntermediate.Key, HashAlgorithmName.SHA384, ecdsaWithSha256, ecdsaWithSha384), Fulcio));
    }

    [Fact]
    public void A_leaf_with_its_signature_altered_is_refused()
    {
        var der = Leaf(FulcioIntermediate).RawData;
        der[^3] ^= 1;

        Assert.False(Chains(X509CertificateLoader.LoadCertificate(der), Fulcio));
    }
}
