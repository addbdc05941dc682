using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// The shapes scripts rely on: <c>init DIR</c> with nothing else, <c>release publish ... --key KEYFILE --bundle OUT</c>,
/// <c>release verify</c> against the store's own trust file, and <c>trusted-root</c>.
/// </summary>
public sealed class StoreCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

    public StoreCommandTests()
    {
        File.WriteAllText(_dir.Combine("ci.pem"), _ci.ToUnencryptedPem());
        File.WriteAllText(_dir.Combine("app.tar"), "the artifact");
    }

    private string Store => _dir.Combine("shop");

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Init_alone_makes_a_log_key_readable_only_by_its_owner_and_a_trust_file_naming_only_it()
    {
        var init = Run("init", Store, "--json");

        Assert.Equal(ExitCodes.Ok, init.ExitCode);
        Assert.StartsWith("rollproof.local/shop\n1\n", File.ReadAllText(Path.Combine(Store, "log", "checkpoint")), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Store, ".rollproof", "log.key")));
        var trust = TrustFile.Parse(File.ReadAllBytes(Path.Combine(Store, "trust.json"))).Value;
        var logKey = Assert.Single(trust.Keys);
        Assert.Equal(["checkpoint"], logKey.Kinds);
        var verifier = LogPublicKeys.ToNoteVerifier(logKey.Key, "rollproof.local/shop");
        Assert.Equal(JsonDocument.Parse(init.Out).RootElement.GetProperty("logVerifierKey").GetString(), NoteKeys.FormatVerifierKey(verifier.Name, verifier.KeyId, verifier.Type, verifier.PublicKey));
        Assert.Equal(ExitCodes.InputError, Run("init", Store).ExitCode);
    }

    [Fact]
    public void The_first_release_key_is_trusted_on_first_use_and_a_second_key_is_not()
    {
        Run("init", Store);

        var first = Publish("1.0", "ci.pem");
        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.Contains("is now trusted to sign releases", first.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, Verify("1.0").ExitCode);

        using var intruder = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        File.WriteAllText(_dir.Combine("intruder.pem"), intruder.ToUnencryptedPem());
        var checkpoint = File.ReadAllText(Path.Combine(Store, "log", "checkpoint"));
        var second = Publish("1.1", "intruder.pem");

        // Refused before anything is logged: the version is not used up, and the trusted key can still publish it.
        Assert.Equal(ExitCodes.VerificationFailed, second.ExitCode);
        Assert.Contains("signed by no key the store's trust lets sign releases now", second.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was logged", second.Error, StringComparison.Ordinal);
        Assert.Equal(checkpoint, File.ReadAllText(Path.Combine(Store, "log", "checkpoint")));
        Assert.Equal(ExitCodes.Ok, Publish("1.1", "ci.pem").ExitCode);
    }

    [Fact]
    public void Publish_writes_a_sigstore_bundle_and_trusted_root_names_the_log_key_that_signed_it()
    {
        Run("init", Store, "--origin", "releases.example/shop");

        var published = Publish("1.0", "ci.pem", "--bundle", _dir.Combine("bundle.json"), "--json");
        var root = Run("trusted-root", "--store", Store, "-o", _dir.Combine("trusted_root.json"));

        Assert.Equal(ExitCodes.Ok, published.ExitCode);
        Assert.Equal(ExitCodes.Ok, root.ExitCode);
        var bundle = JsonDocument.Parse(File.ReadAllBytes(_dir.Combine("bundle.json"))).RootElement;
        var trustedRoot = JsonDocument.Parse(File.ReadAllBytes(_dir.Combine("trusted_root.json"))).RootElement;
        Assert.Equal("application/vnd.dev.sigstore.bundle.v0.3+json", bundle.GetProperty("mediaType").GetString());
        var entry = bundle.GetProperty("verificationMaterial").GetProperty("tlogEntries")[0];
        Assert.Equal(
            trustedRoot.GetProperty("tlogs")[0].GetProperty("logId").GetProperty("keyId").GetString(),
            entry.GetProperty("logId").GetProperty("keyId").GetString());
        Assert.Equal("releases.example/shop", trustedRoot.GetProperty("tlogs")[0].GetProperty("baseUrl").GetString());
    }

    [Fact]
    public void Bundle_and_trusted_root_never_overwrite_a_file()
    {
        Run("init", Store);
        File.WriteAllText(_dir.Combine("taken.json"), "keep me");

        var published = Publish("1.0", "ci.pem", "--bundle", _dir.Combine("taken.json"));
        var root = Run("trusted-root", "--store", Store, "-o", _dir.Combine("taken.json"));

        Assert.Equal(ExitCodes.InputError, published.ExitCode);
        Assert.Equal(ExitCodes.InputError, root.ExitCode);
        Assert.Equal("keep me", File.ReadAllText(_dir.Combine("taken.json")));
        Assert.StartsWith("rollproof.local/shop\n1\n", File.ReadAllText(Path.Combine(Store, "log", "checkpoint")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_for_an_envelope_signed_elsewhere_needs_the_signers_public_key()
    {
        Run("init", Store);
        Publish("1.0", "ci.pem"); // trusts ci on first use
        Run("release", "create", "--store", Store, "--app", "shop", "--version", "2.0", "--artifact", _dir.Combine("app.tar"), "-o", _dir.Combine("statement.json"));
        Run("release", "sign", _dir.Combine("statement.json"), "--key", _dir.Combine("ci.pem"), "-o", _dir.Combine("envelope.json"));
        File.WriteAllText(_dir.Combine("ci.pub"), _ci.PublicKey.ToPem());

        var withoutKey = Run("release", "publish", "--store", Store, "--envelope", _dir.Combine("envelope.json"), "--bundle", _dir.Combine("bundle.json"));
        var withKey = Run("release", "publish", "--store", Store, "--envelope", _dir.Combine("envelope.json"), "--bundle", _dir.Combine("bundle.json"), "--signer-public-key", _dir.Combine("ci.pub"));

        Assert.Equal(ExitCodes.Usage, withoutKey.ExitCode);
        Assert.Contains("--signer-public-key", withoutKey.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, withKey.ExitCode);
        Assert.True(File.Exists(_dir.Combine("bundle.json")));
    }

    private CliRunner.Outcome Publish(string version, string key, params string[] more) =>
        Run(["release", "publish", "--store", Store, "--app", "shop", "--version", version, "--artifact", _dir.Combine("app.tar"), "--key", _dir.Combine(key), .. more]);

    private CliRunner.Outcome Verify(string version) =>
        Run("release", "verify", "--store", Store, "--app", "shop", "--version", version, "--state", _dir.Combine("seen"));
}
