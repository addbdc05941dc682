using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>Publishing and verifying releases through the command line, on a real store.</summary>
public sealed class ReleaseCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);

    public ReleaseCommandTests()
    {
        Assert.Equal(ExitCodes.Ok, Run("log", "keygen", "releases.example/log", "-o", _dir.Combine("log.key")).ExitCode);
        Assert.Equal(ExitCodes.Ok, Run("init", Store, "--origin", "releases.example/log", "--log-key", _dir.Combine("log.key")).ExitCode);
        File.WriteAllText(_dir.Combine("ci.pem"), _ci.ToEncryptedPem("pw"));
        File.WriteAllText(_dir.Combine("pass"), "pw\n");
        // The verifier's own trust file: the key it trusts for releases, and the log's key, taken once from the store.
        var trust = JsonNode.Parse(File.ReadAllText(Path.Combine(Store, "trust.json")))!;
        trust["keys"]!.AsArray().Add(JsonSerializer.SerializeToNode(new { name = "ci", kinds = Kinds, validFrom = "2020-01-01T00:00:00Z", publicKey = _ci.PublicKey.ToPem() }));
        File.WriteAllText(_dir.Combine("trust.json"), trust.ToJsonString());
        File.Copy(SharedFiles.Vector("cyclonedx", "valid-bom-1.6.json"), _dir.Combine("sbom.json"));
        File.WriteAllText(_dir.Combine("app-1.0.tar.gz"), "the artifact of 1.0");
        Directory.CreateDirectory(_dir.Combine("migrations"));
        File.WriteAllText(_dir.Combine("migrations", "0001_init.up.sql"), "CREATE TABLE docs (id INTEGER);");
        File.WriteAllText(_dir.Combine("migrations", "0001_init.down.sql"), "DROP TABLE docs;");
    }

    private static readonly string[] Kinds = ["release"];

    private string Store => _dir.Combine("store");

    public void Dispose()
    {
        _ci.Dispose();
        foreach (var file in Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _dir.Dispose();
    }

    [Fact]
    public void A_published_release_verifies_and_is_listed()
    {
        var published = Publish("1.0");
        Assert.Equal(ExitCodes.Ok, published.ExitCode);
        Assert.Equal(_ci.KeyId, JsonDocument.Parse(published.Out).RootElement.GetProperty("signedBy").GetString());

        var verified = Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", "1.0", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen"), "--json");
        Assert.Equal(ExitCodes.Ok, verified.ExitCode);
        Assert.Equal("app-1.0.tar.gz", JsonDocument.Parse(verified.Out).RootElement.GetProperty("artifacts")[0].GetProperty("name").GetString());

        var list = JsonDocument.Parse(Run("release", "list", "--store", Store, "--json").Out).RootElement;
        Assert.Equal("1.0", list[0].GetProperty("version").GetString());
        Assert.True(File.Exists(Path.Combine(Store, "releases", "doc-signer", "1.0.tlog-proof")));
    }

    [Fact]
    public void Show_prints_the_record_and_the_signed_statement()
    {
        Publish("1.0");
        var shown = JsonDocument.Parse(Run("release", "show", "--store", Store, "--app", "doc-signer", "--version", "1.0", "--json").Out).RootElement;
        Assert.Equal(2, shown.GetProperty("record").GetProperty("logIndex").GetInt64()); // after the anchors (0) and ci's first use (1)
        Assert.Equal("https://rollproof.dev/attestation/release/v1", shown.GetProperty("statement").GetProperty("predicateType").GetString());
        Assert.Equal("0001_init", shown.GetProperty("statement").GetProperty("predicate").GetProperty("migrations")[0].GetProperty("id").GetString());
        Assert.Equal(ExitCodes.InputError, Run("release", "show", "--store", Store, "--app", "doc-signer", "--version", "9.9").ExitCode);
    }

    [Fact]
    public void A_publish_cut_short_after_logging_is_finished_by_publishing_again()
    {
        Publish("1.0");
        var recordPath = Path.Combine(Store, "releases", "doc-signer", "1.0.json");
        var record = File.ReadAllText(recordPath);
        File.WriteAllText(recordPath, record.Replace("\"logIndex\": 2", "\"logIndex\": null", StringComparison.Ordinal));

        var again = Publish("1.0");

        Assert.Equal(ExitCodes.Ok, again.ExitCode);
        Assert.Equal(2, JsonDocument.Parse(again.Out).RootElement.GetProperty("logIndex").GetInt64());
        Assert.StartsWith("releases.example/log\n3\n", File.ReadAllText(Path.Combine(Store, "log", "checkpoint")), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_sign_and_publish_an_envelope_as_separate_steps()
    {
        Publish("1.0"); // trusts ci on first use: an envelope signed elsewhere is published only under a trusted key
        var created = Run("release", "create", "--store", Store, "--app", "doc-signer", "--version", "3.0", "--artifact", _dir.Combine("app-1.0.tar.gz"), "--sbom", _dir.Combine("sbom.json"), "-o", _dir.Combine("statement.json"));
        var signed = Run("release", "sign", _dir.Combine("statement.json"), "--key", _dir.Combine("ci.pem"), "--passphrase-file", _dir.Combine("pass"), "-o", _dir.Combine("envelope.json"));
        var published = Run("release", "publish", "--store", Store, "--envelope", _dir.Combine("envelope.json"));

        Assert.Equal(ExitCodes.Ok, created.ExitCode);
        Assert.Equal(ExitCodes.Ok, signed.ExitCode);
        Assert.Equal(ExitCodes.Ok, published.ExitCode);
        Assert.Equal(ExitCodes.Ok, Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", "3.0", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen")).ExitCode);
    }

    [Fact]
    public void An_envelope_naming_files_the_store_lacks_is_refused()
    {
        using var other = new TempDirectory();
        Run("log", "keygen", "other.example/log", "-o", other.Combine("log.key"));
        Run("init", other.Combine("store"), "--origin", "other.example/log", "--log-key", other.Combine("log.key"));
        Run("release", "create", "--store", other.Combine("store"), "--app", "doc-signer", "--version", "4.0", "--artifact", _dir.Combine("app-1.0.tar.gz"), "--sbom", _dir.Combine("sbom.json"), "-o", _dir.Combine("statement.json"));
        Run("release", "sign", _dir.Combine("statement.json"), "--key", _dir.Combine("ci.pem"), "--passphrase-file", _dir.Combine("pass"), "-o", _dir.Combine("envelope.json"));

        var published = Run("release", "publish", "--store", Store, "--envelope", _dir.Combine("envelope.json"));

        Assert.Equal(ExitCodes.VerificationFailed, published.ExitCode);
        Assert.Contains("which is not in the store", published.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, Run("release", "publish", "--store", Store, "--envelope", _dir.Combine("envelope.json"), "--app", "x").ExitCode);
    }

    [Fact]
    public void Gc_frees_only_the_artifacts_of_releases_beyond_the_newest_n()
    {
        foreach (var version in (string[])["1.0", "1.1", "1.2"])
        {
            File.WriteAllText(_dir.Combine($"app-{version}.bin"), $"artifact {version}");
            Assert.Equal(ExitCodes.Ok, Run("release", "publish", "--store", Store, "--app", "doc-signer", "--version", version, "--artifact", _dir.Combine($"app-{version}.bin"),
                "--sbom", _dir.Combine("sbom.json"), "--key", _dir.Combine("ci.pem"), "--passphrase-file", _dir.Combine("pass")).ExitCode);
        }
        var blobs = Directory.GetFiles(Path.Combine(Store, "artifacts", "sha256"), "*", SearchOption.AllDirectories).Length;

        var dry = JsonDocument.Parse(Run("gc", "--store", Store, "--keep", "2", "--dry-run", "--json").Out).RootElement;
        Assert.Single(dry.GetProperty("removed").EnumerateArray());
        Assert.Equal(blobs, Directory.GetFiles(Path.Combine(Store, "artifacts", "sha256"), "*", SearchOption.AllDirectories).Length);

        var collected = Run("gc", "--store", Store, "--keep", "2", "--archive", _dir.Combine("archive"));
        Assert.Equal(ExitCodes.Ok, collected.ExitCode);
        Assert.Equal(blobs - 1, Directory.GetFiles(Path.Combine(Store, "artifacts", "sha256"), "*", SearchOption.AllDirectories).Length);
        Assert.Single(Directory.GetFiles(_dir.Combine("archive"), "*", SearchOption.AllDirectories));
        foreach (var kept in (string[])["1.1", "1.2"])
            Assert.Equal(ExitCodes.Ok, Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", kept, "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen")).ExitCode);
        var old = Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", "1.0", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen"));
        Assert.Contains("is not in the artifact store", old.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, Run("release", "show", "--store", Store, "--app", "doc-signer", "--version", "1.0").ExitCode); // its statement stays
        Assert.Equal(ExitCodes.Usage, Run("gc", "--store", Store, "--keep", "0").ExitCode);
    }

    [Fact]
    public void A_version_is_published_once()
    {
        Assert.Equal(ExitCodes.Ok, Publish("1.0").ExitCode);
        var again = Publish("1.0");
        Assert.Equal(ExitCodes.InputError, again.ExitCode);
        Assert.Contains("releases are immutable", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_artifact_fails_verification_and_names_it()
    {
        Publish("1.0");
        var blob = Directory.EnumerateFiles(Path.Combine(Store, "artifacts", "sha256"), "*", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f) == "the artifact of 1.0");
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(blob, "a trojaned artifact");

        var verified = Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", "1.0", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen"));

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains("has been altered", verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_whose_log_key_is_not_the_pinned_one_fails()
    {
        Publish("1.0");
        var other = NoteKeys.GenerateEd25519("releases.example/log").VerifierKey;
        var verified = Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", "1.0", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen"), "--log-vkey", other);
        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
    }

    [Fact]
    public void Publishing_needs_exactly_one_way_to_sign()
    {
        var neither = Run("release", "publish", "--store", Store, "--app", "a", "--version", "1", "--artifact", _dir.Combine("app-1.0.tar.gz"), "--sbom", _dir.Combine("sbom.json"));
        Assert.Equal(ExitCodes.Usage, neither.ExitCode);
        Assert.Contains("give --key NAME or FILE", neither.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_signed_by_an_untrusted_key_fails()
    {
        Publish("1.0");
        using var other = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        File.WriteAllText(_dir.Combine("other-trust.json"), JsonSerializer.Serialize(new { keys = new[] { new { name = "other", kinds = Kinds, validFrom = "2020-01-01T00:00:00Z", publicKey = other.PublicKey.ToPem() } } }));
        var verified = Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", "1.0", "--trust", _dir.Combine("other-trust.json"), "--state", _dir.Combine("seen"));
        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
    }

    [Fact]
    public void An_invalid_sbom_is_refused_naming_the_field_and_nothing_is_logged()
    {
        File.Copy(SharedFiles.Vector("cyclonedx", "invalid-hash-md5-1.6.json"), _dir.Combine("bad-sbom.json"));
        var result = Run("release", "publish", "--store", Store, "--app", "doc-signer", "--version", "2.0", "--artifact", _dir.Combine("app-1.0.tar.gz"),
            "--sbom", _dir.Combine("bad-sbom.json"), "--key", _dir.Combine("ci.pem"), "--passphrase-file", _dir.Combine("pass"));
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("$.components[0].hashes[0]", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("releases.example/log\n1\n", File.ReadAllText(Path.Combine(Store, "log", "checkpoint")), StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_signer_can_sign_the_release()
    {
        File.WriteAllText(_dir.Combine("ci-plain.pem"), _ci.ToUnencryptedPem());
        File.WriteAllText(_dir.Combine("ci.pub"), _ci.PublicKey.ToPem());
        var result = Run("release", "publish", "--store", Store, "--app", "doc-signer", "--version", "1.1", "--artifact", _dir.Combine("app-1.0.tar.gz"),
            "--sbom", _dir.Combine("sbom.json"), "--signer-command", $"openssl dgst -sha256 -sign {_dir.Combine("ci-plain.pem")}", "--signer-public-key", _dir.Combine("ci.pub"));
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(ExitCodes.Ok, Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", "1.1", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen")).ExitCode);
    }

    [Fact]
    public void Provenance_for_other_artifacts_is_refused_with_exit_3_naming_the_artifact_and_nothing_is_published()
    {
        var provenance = new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new JsonArray(new JsonObject { ["name"] = "app.tar.gz", ["digest"] = new JsonObject { ["sha256"] = new string('a', 64) } }),
            ["predicateType"] = "https://slsa.dev/provenance/v1",
            ["predicate"] = JsonNode.Parse("""{"buildDefinition":{"buildType":"https://example.com/build/v1","externalParameters":{}},"runDetails":{"builder":{"id":"https://example.com/ci"}}}"""),
        };
        File.WriteAllText(_dir.Combine("provenance.json"), provenance.ToJsonString());

        var published = Run("release", "publish", "--store", Store, "--app", "doc-signer", "--version", "5.0", "--artifact", _dir.Combine("app-1.0.tar.gz"),
            "--provenance", _dir.Combine("provenance.json"), "--key", _dir.Combine("ci.pem"), "--passphrase-file", _dir.Combine("pass"));

        Assert.Equal(ExitCodes.InputError, published.ExitCode);
        Assert.Contains("RP2102", published.Error, StringComparison.Ordinal);
        Assert.Contains("artifact 'app-1.0.tar.gz'", published.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Store, "releases", "doc-signer", "5.0.json")));
    }

    private CliRunner.Outcome Publish(string version) =>
        Run("release", "publish", "--store", Store, "--app", "doc-signer", "--version", version, "--artifact", _dir.Combine("app-1.0.tar.gz"),
            "--sbom", _dir.Combine("sbom.json"), "--migrations", _dir.Combine("migrations"), "--key", _dir.Combine("ci.pem"), "--passphrase-file", _dir.Combine("pass"), "--json");
}
