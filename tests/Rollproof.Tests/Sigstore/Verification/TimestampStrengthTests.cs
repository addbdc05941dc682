using System.Security.Cryptography;
using Rollproof.Common;
using Rollproof.Sigstore.Verification;
using static Rollproof.Tests.Sigstore.Verification.TestCertificates;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// An RFC 3161 timestamp is trusted only as far as its signature is strong: signed with a SHA-2 digest by a key of
/// the kinds and sizes a certificate may be signed with. A timestamp authority of the trusted root whose token is
/// digested with SHA-1, or whose signing key is 1024-bit RSA, vouches for no time; nor does a signing certificate whose
/// timestamping EKU is not critical (RFC 3161 §2.3), which .NET's token decoding and verification refuse.
/// </summary>
public class TimestampStrengthTests
{
    private static readonly byte[] Signature = RandomNumberGenerator.GetBytes(64);
    private static readonly Oid Sha256 = new("2.16.840.1.101.3.4.2.1");
    private static readonly Oid Sha1 = new("1.3.14.3.2.26");

    private static Result<DateTimeOffset> Verify(TestTimestampAuthority tsa, Oid digest, bool embedSigner = true) =>
        TimestampVerifier.Verify(tsa.Stamp(Signature, digest, embedSigner), 0, Signature, [tsa.Authority]);

    [Fact]
    public void A_token_digested_with_SHA_256_by_a_P_256_or_RSA_2048_authority_states_its_time()
    {
        Assert.Equal(At, Verify(new TestTimestampAuthority(P256()), Sha256).Value);
        Assert.Equal(At, Verify(new TestTimestampAuthority(RSA.Create(2048)), Sha256).Value);
    }

    [Fact]
    public void A_token_digested_with_SHA_1_is_refused()
    {
        Assert.Equal(ErrorCodes.TimestampUntrusted, Verify(new TestTimestampAuthority(RSA.Create(2048)), Sha1).Problem?.Code);
    }

    [Fact]
    public void A_token_signed_by_a_1024_bit_RSA_key_is_refused()
    {
        Assert.Equal(ErrorCodes.TimestampUntrusted, Verify(new TestTimestampAuthority(RSA.Create(1024)), Sha256).Problem?.Code);
    }

    [Fact]
    public void A_token_whose_signer_s_timestamping_usage_is_not_critical_is_refused_embedded_or_found_in_the_trusted_root()
    {
        var loose = new TestTimestampAuthority(P256(), criticalUsage: false);

        Assert.Equal(ErrorCodes.TimestampMalformed, Verify(loose, Sha256).Problem?.Code);
        Assert.Equal(ErrorCodes.TimestampUntrusted, Verify(loose, Sha256, embedSigner: false).Problem?.Code);
        Assert.Equal(At, Verify(new TestTimestampAuthority(P256()), Sha256, embedSigner: false).Value);
    }
}
