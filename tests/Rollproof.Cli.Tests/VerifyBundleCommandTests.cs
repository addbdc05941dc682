using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Testing;

namespace Rollproof.Cli.Tests;

/// <summary>
/// <c>rollproof verify-bundle</c> driven as the Sigstore conformance suite drives it: exit 0 only for a valid bundle,
/// 1 for a failed check, 2 for a wrong command line, 3 for an unusable input, and the code in text and JSON.
/// </summary>
public sealed class VerifyBundleCommandTests : IDisposable
{
    private const string Identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";
    private readonly string _dir = Directory.CreateTempSubdirectory("rp-verify-bundle-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Vector(string name, string file) => SharedFiles.Vector("sigstore-bundles", name, file);

    private static string Artifact => SharedFiles.Vector("sigstore-bundles", "a.txt");

    private static string Digest => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Artifact)));

    private static CliRunner.Outcome Keyless(string name, string artifact, params string[] extra) =>
        CliRunner.Run(["verify-bundle", "--bundle", Vector(name, "bundle.sigstore.json"), "--certificate-identity", Identity, "--certificate-oidc-issuer", Issuer, "--trusted-root", Vector(name, "trusted_root.json"), .. extra, artifact]);

    [Fact]
    public void A_key_signed_bundle_verifies_by_file_and_by_digest()
    {
        foreach (var artifact in new[] { Artifact, Digest })
        {
            var run = CliRunner.Run("verify-bundle", "--bundle", Vector("managed-key-and-trusted-root", "bundle.sigstore.json"), "--key", Vector("managed-key-and-trusted-root", "key.pub"),
                "--trusted-root", Vector("managed-key-and-trusted-root", "trusted_root.json"), "--json", artifact);

            Assert.True(run.ExitCode == ExitCodes.Ok, run.Error);
            var json = JsonDocument.Parse(run.Out).RootElement;
            Assert.True(json.GetProperty("verified").GetBoolean());
            Assert.Equal(Digest, json.GetProperty("artifact").GetString());
        }
    }

    [Fact]
    public void A_failed_check_exits_1_naming_its_code_in_text_and_json()
    {
        var text = Keyless("rekor2-timestamp-payload-mismatch_fail", Artifact);
        var json = Keyless("rekor2-timestamp-payload-mismatch_fail", Digest, "--json");

        Assert.Equal(ExitCodes.VerificationFailed, text.ExitCode);
        Assert.Contains(ErrorCodes.TimestampImprintMismatch, text.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, json.ExitCode);
        Assert.Equal(ErrorCodes.TimestampImprintMismatch, JsonDocument.Parse(json.Out).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void A_wrong_identity_exits_non_zero()
    {
        var run = CliRunner.Run("verify-bundle", "--bundle", Vector("rekor2-happy-path", "bundle.sigstore.json"), "--certificate-identity", Identity + "/evil", "--certificate-oidc-issuer", Issuer,
            "--trusted-root", Vector("rekor2-happy-path", "trusted_root.json"), Artifact);

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
    }

    [Theory]
    [InlineData("--key", "k.pub", "--certificate-identity", "i")]
    [InlineData("--certificate-identity", "i")]
    [InlineData("--certificate-oidc-issuer", "u")]
    public void Signer_options_must_be_a_key_or_an_identity_and_issuer(params string[] signer)
    {
        var run = CliRunner.Run(["verify-bundle", "--bundle", Vector("rekor2-happy-path", "bundle.sigstore.json"), .. signer, Artifact]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Fact]
    public void A_key_given_for_a_certificate_bundle_or_an_identity_for_a_key_bundle_exits_1_with_the_key_mismatch_code()
    {
        var keyForCertificate = CliRunner.Run("verify-bundle", "--bundle", Vector("rekor2-happy-path", "bundle.sigstore.json"), "--key", Vector("managed-key-and-trusted-root", "key.pub"),
            "--trusted-root", Vector("rekor2-happy-path", "trusted_root.json"), "--json", Artifact);
        var identityForKey = Keyless("managed-key-and-trusted-root", Artifact, "--json");

        foreach (var run in new[] { keyForCertificate, identityForKey })
        {
            Assert.Equal(ExitCodes.VerificationFailed, run.ExitCode);
            Assert.Equal(ErrorCodes.BundleKeyMismatch, JsonDocument.Parse(run.Out).RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }

    [Fact]
    public void An_unknown_media_type_exits_3_with_its_code()
    {
        var bundle = Path.Combine(_dir, "bundle.json");
        File.WriteAllText(bundle, File.ReadAllText(Vector("rekor2-happy-path", "bundle.sigstore.json")).Replace("bundle.v0.3+json", "bundle.v0.9+json", StringComparison.Ordinal));

        var run = CliRunner.Run("verify-bundle", "--bundle", bundle, "--certificate-identity", Identity, "--certificate-oidc-issuer", Issuer, "--trusted-root", Vector("rekor2-happy-path", "trusted_root.json"), "--json", Artifact);

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.Equal(ErrorCodes.BundleMediaTypeUnknown, JsonDocument.Parse(run.Out).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void A_digest_that_is_not_sha256_hex_is_read_as_a_path_and_a_missing_artifact_exits_3()
    {
        var run = Keyless("rekor2-happy-path", "sha256:" + new string('z', 64));

        Assert.Equal(ExitCodes.InputError, run.ExitCode);
        Assert.Contains(ErrorCodes.InputMissing, run.Error, StringComparison.Ordinal);
    }

    // The vector is signed by Sigstore's staging instance, which the built-in public-good root does not trust.
    [Fact]
    public void Without_a_trusted_root_the_built_in_public_good_one_is_used_and_refuses_a_staging_bundle()
    {
        var run = CliRunner.Run("verify-bundle", "--bundle", Vector("rekor2-happy-path", "bundle.sigstore.json"), "--certificate-identity", Identity, "--certificate-oidc-issuer", Issuer, Artifact);

        Assert.NotEqual(ExitCodes.Ok, run.ExitCode);
    }
}
