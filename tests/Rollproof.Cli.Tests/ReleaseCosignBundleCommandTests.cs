using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// <c>release publish --cosign-bundle NAME=FILE</c> with the CI identity it expects, as a pipeline runs it (the CI's
/// bundle here is the rekor2-happy-path test vector, with its own trusted root), then <c>release verify</c>.
/// </summary>
public sealed class ReleaseCosignBundleCommandTests : IDisposable
{
    private const string CiIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private const string CiIssuer = "https://token.actions.githubusercontent.com";

    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

    public ReleaseCosignBundleCommandTests()
    {
        File.WriteAllText(_dir.Combine("ci.pem"), _ci.ToUnencryptedPem());
        File.Copy(SharedFiles.Vector("sigstore-bundles", "a.txt"), _dir.Combine("app.txt"));
        Run("init", Store);
    }

    private string Store => _dir.Combine("shop");

    private static string Vector(string file) => SharedFiles.Vector("sigstore-bundles", "rekor2-happy-path", file);

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    private Outcome Publish(params string[] cosign) =>
        Run(["release", "publish", "--store", Store, "--app", "shop", "--version", "1.0", "--artifact", _dir.Combine("app.txt"), "--key", _dir.Combine("ci.pem"),
            "--cosign-bundle", "app.txt=" + Vector("bundle.sigstore.json"), "--cosign-trusted-root", Vector("trusted_root.json"), .. cosign]);

    private Outcome Verify() => Run("release", "verify", "--store", Store, "--app", "shop", "--version", "1.0", "--state", _dir.Combine("seen"));

    [Fact]
    public void A_release_with_its_ci_bundle_publishes_and_verifies()
    {
        var published = Publish("--cosign-identity", CiIdentity, "--cosign-oidc-issuer", CiIssuer);

        Assert.True(published.ExitCode == ExitCodes.Ok, published.Error);
        var verified = Verify();
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Error);
    }

    [Fact]
    public void A_bundle_from_another_identity_fails_the_publish_with_its_code_and_publishes_nothing()
    {
        var published = Publish("--cosign-identity", "https://github.com/someone/else/.github/workflows/ci.yml@refs/heads/main", "--cosign-oidc-issuer", CiIssuer);

        Assert.Equal(ExitCodes.VerificationFailed, published.ExitCode);
        Assert.Contains(ErrorCodes.CertificateIdentityMismatch, published.Error, StringComparison.Ordinal);
        Assert.Contains("'app.txt'", published.Error, StringComparison.Ordinal);
        Assert.NotEqual(ExitCodes.Ok, Verify().ExitCode);
    }

    [Theory]
    [InlineData("--cosign-identity", CiIdentity)]
    [InlineData("--cosign-oidc-issuer", CiIssuer)]
    public void A_bundle_without_a_whole_expected_signer_is_a_usage_error(string option, string value)
    {
        var published = Publish(option, value);

        Assert.Equal(ExitCodes.Usage, published.ExitCode);
        Assert.Contains("--cosign-bundle needs", published.Error, StringComparison.Ordinal);
    }
}
