using Rollproof.Common;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// Every case of testvectors/sigstore-bundles (sigstore-conformance's bundle-verify assets), with the artifact's bytes
/// and with only its SHA-256 digest: a `_fail` case must be rejected for its own reason (the code below), every other
/// must verify.
/// </summary>
public class SigstoreBundleVectorTests
{
    // Why each failing case must fail: the first check that the case breaks, in SigstoreBundleVerifier's order.
    private static readonly Dictionary<string, string> FailureCodes = new(StringComparer.Ordinal)
    {
        ["intoto-log-entry-mismatch_fail"] = ErrorCodes.TlogBodyMismatch,
        ["intoto-set-outside-signing-cert-validity_fail"] = ErrorCodes.CertificateNotValidAtTime,
        ["invalid-ct-key_fail"] = ErrorCodes.SctInvalid,
        ["rekor2-checkpoint-missing-log-signature_fail"] = ErrorCodes.TlogCheckpointInvalid,
        ["rekor2-checkpoint-missing-root-hash_fail"] = ErrorCodes.TlogCheckpointInvalid,
        ["rekor2-dsse-mismatch-envelope_fail"] = ErrorCodes.TlogBodyMismatch,
        ["rekor2-no-inclusion-proof_fail"] = ErrorCodes.BundleVersionRuleBroken,
        ["rekor2-timestamp-outside-trust-root-tsa-validity_fail"] = ErrorCodes.TimestampOutsideTsaValidity,
        ["rekor2-timestamp-payload-mismatch_fail"] = ErrorCodes.TimestampImprintMismatch,
        ["rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail"] = ErrorCodes.TimestampUntrusted,
    };

    public static TheoryData<string, bool> Cases()
    {
        var cases = new TheoryData<string, bool>();
        foreach (var name in SigstoreVector.Names)
        {
            cases.Add(name, false);
            cases.Add(name, true);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_case_gives_its_expected_outcome(string name, bool asDigest)
    {
        var vector = new SigstoreVector(name);

        var result = SigstoreBundleVerifier.Verify(File.ReadAllBytes(vector.BundlePath), vector.Artifact(asDigest), vector.Signer, vector.TrustedRoot, DateTimeOffset.UtcNow);

        if (!vector.MustFail)
        {
            Assert.True(result.IsOk, $"{name} must verify: {result.Problem}");
            Assert.NotEmpty(result.Value.VerifiedTimes);
            return;
        }
        Assert.False(result.IsOk, $"{name} must be rejected");
        Assert.True(FailureCodes.TryGetValue(name, out var expected), $"{name} has no expected rejection code in {nameof(FailureCodes)}: {result.Problem}");
        Assert.True(result.Problem.Code == expected, $"{name} must be rejected with {expected}, not {result.Problem}");
    }
}
