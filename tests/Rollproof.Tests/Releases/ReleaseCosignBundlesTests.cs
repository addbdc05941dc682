using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Sigstore.Verification;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Tests.Sigstore.Verification;

namespace Rollproof.Tests.Releases;

/// <summary>
/// Cosign bundles CI made for a release's artifacts (here the sigstore-bundles test vectors, each with its own trusted
/// root): verified at publish, bound by digest in the signed statement with the signer they must show, and verified
/// again by release verify (which the rollback pre-flight runs too). Swapped bundles and wrong signers are refused with
/// the bundle verifier's own codes.
/// </summary>
public sealed class ReleaseCosignBundlesTests : IDisposable
{
    private static readonly SigstoreVector Keyless = new("rekor2-happy-path");
    private static readonly SigstoreVector Keyed = new("managed-key-and-trusted-root");

    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly ReleaseStore _store;

    public ReleaseCosignBundlesTests()
    {
        _store = ReleaseStore.Init(_dir.Combine("store"), "log.example/releases").Value;
        File.Copy(Keyless.ArtifactPath, _dir.Combine("app.txt"));
        File.WriteAllText(_dir.Combine("other.bin"), "another artifact of the release");
    }

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    private static CosignBundleDraft Bundle(SigstoreVector vector, string artifact = "app.txt", ExpectedSigner? signer = null) =>
        new([new(artifact, File.ReadAllBytes(vector.BundlePath))], signer ?? vector.Signer, File.ReadAllBytes(vector.TrustedRootPath));

    private ReleaseDraft Draft(CosignBundleDraft bundles) =>
        new("shop", "1.0", [_dir.Combine("app.txt"), _dir.Combine("other.bin")], null, null, null, null, null, null, null, bundles);

    private Task<Result<PublishedRelease>> Publish(CosignBundleDraft bundles) => _store.PublishAsync(Draft(bundles), _ci, TimeProvider.System);

    private Task<Result<VerifiedRelease>> Verify() => ReleaseVerifier.VerifyAsync(_store, "shop", "1.0", _store.ReadTrust().Value, _dir.Combine("seen"));

    [Theory]
    [InlineData("rekor2-happy-path")]
    [InlineData("managed-key-and-trusted-root")]
    public async Task A_release_with_ci_bundles_publishes_and_verifies_with_them_bound_in_its_statement(string vector)
    {
        var ci = new SigstoreVector(vector);
        Assert.True((await Publish(Bundle(ci))).IsOk);

        var verified = await Verify();

        Assert.True(verified.IsOk, verified.IsOk ? "" : verified.Problem.Message);
        var binding = Assert.Single(verified.Value.Predicate.CosignBundles!);
        Assert.Equal("app.txt", binding.Artifact);
        Assert.Equal(Sha256Digest.Of(File.ReadAllBytes(ci.BundlePath)).ToString(), binding.Bundle);
        Assert.Equal(Sha256Digest.Of(File.ReadAllBytes(ci.TrustedRootPath)).ToString(), binding.TrustedRoot);
        Assert.Equal(ci.KeyPath is null ? ci.Identity : null, binding.Identity);
        Assert.Equal(ci.KeyPath is null ? null : Sha256Digest.Of(ci.Signer.PublicKeySpki!).ToString(), binding.PublicKey);
    }

    [Fact]
    public async Task A_bundle_of_another_identity_is_refused_at_publish_and_nothing_is_logged()
    {
        var published = await Publish(Bundle(Keyless, signer: ExpectedSigner.Certificate("https://github.com/someone/else/.github/workflows/ci.yml@refs/heads/main", SigstoreVector.BeaconIssuer)));

        Assert.Equal(ErrorCodes.CertificateIdentityMismatch, published.Problem?.Code);
        Assert.Contains("'app.txt'", published.Problem!.Message, StringComparison.Ordinal);
        Assert.False(_store.Find("shop", "1.0").IsOk);
    }

    [Fact]
    public async Task A_bundle_swapped_onto_another_artifact_is_refused_at_publish()
    {
        var published = await Publish(Bundle(Keyless, artifact: "other.bin"));

        Assert.Equal(ErrorCodes.ArtifactDigestMismatch, published.Problem?.Code);
        Assert.Contains("'other.bin'", published.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_for_no_artifact_of_the_release_is_refused()
    {
        var published = await Publish(Bundle(Keyless, artifact: "missing.txt"));

        Assert.Equal(ErrorCodes.CosignBundleArtifactUnknown, published.Problem?.Code);
    }

    [Fact]
    public async Task Two_bundles_for_one_artifact_are_refused()
    {
        var bundle = File.ReadAllBytes(Keyless.BundlePath);

        var published = await Publish(Bundle(Keyless) with { Bundles = [new("app.txt", bundle), new("app.txt", bundle)] });

        Assert.Equal(ErrorCodes.CosignBundleBindingMalformed, published.Problem?.Code);
    }

    [Fact]
    public async Task Without_a_trusted_root_the_built_in_public_good_root_is_used_and_refuses_the_vectors_test_ca()
    {
        var published = await Publish(Bundle(Keyless) with { TrustedRoot = null });

        Assert.False(published.IsOk);
        Assert.StartsWith("RP29", published.Problem!.Code, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_statement_binding_the_bundle_to_another_identity_fails_with_the_bundles_code()
    {
        var statement = (await _store.CreateStatementAsync(Draft(Bundle(Keyless)))).Value;
        var predicate = ReleaseStatement.Read(statement).Value;
        var rebound = predicate with { CosignBundles = [predicate.CosignBundles![0] with { Identity = "https://github.com/someone/else/.github/workflows/ci.yml@refs/heads/main" }] };
        var envelope = ReleaseStatement.Create(statement.Subjects, rebound).Sign(_ci).ToJson();

        var atVerify = await ReleaseCosignBundles.VerifyAsync(statement, rebound, _store.Artifacts, DateTimeOffset.UtcNow, CancellationToken.None);
        var atPublish = await _store.PublishEnvelopeAsync(envelope, TimeProvider.System);

        Assert.Equal(ErrorCodes.CertificateIdentityMismatch, atVerify?.Code);
        Assert.Equal(ErrorCodes.CertificateIdentityMismatch, atPublish.Problem?.Code);
    }

    [Fact]
    public async Task A_bound_bundle_replaced_in_the_store_fails_release_verify()
    {
        Assert.True((await Publish(Bundle(Keyless))).IsOk);
        var digest = Sha256Digest.Of(File.ReadAllBytes(Keyless.BundlePath));
        var blob = Path.Combine(_store.Root, "artifacts", "sha256", digest.Hex[..2], digest.Hex);
        File.SetAttributes(blob, FileAttributes.Normal);
        File.Copy(Keyed.BundlePath, blob, overwrite: true);

        var verified = await Verify();

        Assert.Equal(ErrorCodes.BlobCorrupt, verified.Problem?.Code);
    }
}
