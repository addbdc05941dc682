using Rollproof.Common;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// The tlog entry of every case in ../shared/testvectors/sigstore-bundles, verified on its own. Cases that fail for
/// another part of the bundle (certificate, CT, timestamp) carry a sound tlog entry and must pass here; the ones
/// whose entry is the fault must fail with the code that names it.
/// </summary>
public class TlogEntryVectorTests
{
    [Theory]
    [InlineData("bundle-with-sct-with-extensions")]
    [InlineData("intoto-with-custom-trust-root")]
    [InlineData("intoto-set-outside-signing-cert-validity_fail")]
    [InlineData("invalid-ct-key_fail")]
    [InlineData("managed-key-and-trusted-root")]
    [InlineData("rekor2-checkpoint-multiple-cosigs")]
    [InlineData("rekor2-checkpoint-origin-not-first")]
    [InlineData("rekor2-checkpoint-two-sigs-from-origin")]
    [InlineData("rekor2-dsse-happy-path")]
    [InlineData("rekor2-happy-path")]
    [InlineData("rekor2-timestamp-outside-trust-root-tsa-validity_fail")]
    [InlineData("rekor2-timestamp-payload-mismatch_fail")]
    [InlineData("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail")]
    [InlineData("rekor2-timestamp-with-expired-cert-chain")]
    [InlineData("rekor2-timestamp-without-embedded-cert")]
    [InlineData("trust-root-tlog-validity-end-inclusive")]
    public void A_sound_entry_verifies(string folder)
    {
        var vector = TlogVectorCase.Load(folder);
        var verified = vector.Verify();
        Assert.True(verified.IsOk, verified.Problem?.ToString());
        Assert.Equal((string)vector.Entry["kindVersion"]!["kind"]!, verified.Value.Kind);
        Assert.Equal(long.Parse((string)vector.Entry["logIndex"]!), verified.Value.LogIndex);
    }

    [Theory]
    [InlineData("intoto-log-entry-mismatch_fail", ErrorCodes.TlogBodyMismatch)]
    [InlineData("rekor2-dsse-mismatch-envelope_fail", ErrorCodes.TlogBodyMismatch)]
    [InlineData("rekor2-checkpoint-missing-log-signature_fail", ErrorCodes.TlogCheckpointInvalid)]
    [InlineData("rekor2-checkpoint-missing-root-hash_fail", ErrorCodes.TlogCheckpointInvalid)]
    [InlineData("rekor2-no-inclusion-proof_fail", ErrorCodes.TlogInclusionMissing)]
    public void A_faulty_entry_fails_for_its_fault(string folder, string code)
    {
        var verified = TlogVectorCase.Load(folder).Verify();
        Assert.False(verified.IsOk);
        Assert.Equal(code, verified.Problem.Code);
    }

    [Fact]
    public void A_rekor_v1_entry_keeps_its_signed_integrated_time_and_a_rekor_v2_entry_has_none()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1689177396), TlogVectorCase.Load("trust-root-tlog-validity-end-inclusive").Verify().Value.IntegratedTime);
        Assert.Null(TlogVectorCase.Load("rekor2-happy-path").Verify().Value.IntegratedTime);
    }
}
