using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>A store whose log key is in a real PKCS#11 token (SoftHSM2): no key file, a PIN never kept in the store.</summary>
[Collection(SoftHsmTests.Name)]
public sealed class Pkcs11LogKeyTests(SoftHsmToken token) : IDisposable
{
    // The token's keys serve every test, and a writer refuses a second log under a key it published with (RP1314).
    private readonly string Origin = $"hsm.example/{Guid.NewGuid():N}";
    private readonly TempDirectory _dir = new();

    private string Store => _dir.Combine("store");

    private string LogKey(string label = "log") => SoftHsmToken.UriWithPinFile(label, token.PinFile);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("log", NoteSignatureType.Ed25519)]
    [InlineData("log-ec", NoteSignatureType.Ecdsa)]
    public void A_store_signed_by_a_token_key_appends_and_everything_verifies_with_its_verifier_key(string label, NoteSignatureType type)
    {
        var created = Init(LogKey(label));
        Assert.True(created.ExitCode == ExitCodes.Ok, created.Error);
        var verifierKey = JsonDocument.Parse(created.Out).RootElement.GetProperty("logVerifierKey").GetString()!;
        Assert.Equal(type, NoteKeys.ParseVerifierKey(verifierKey).Value.Type);
        Assert.False(File.Exists(Path.Combine(Store, ".rollproof", "log.key")));
        Assert.Equal(LogKey(label), JsonNode.Parse(File.ReadAllText(LogConfigPath))!["keyFile"]!.GetValue<string>());

        var exported = Run("log", "verifier-key", Origin, "--key", LogKey(label));
        Assert.True(exported.ExitCode == ExitCodes.Ok, exported.Error);
        Assert.Equal(verifierKey, exported.Out.Trim());

        var published = Publish();
        Assert.True(published.ExitCode == ExitCodes.Ok, published.Error);
        File.Copy(Path.Combine(Store, "trust.json"), _dir.Combine("trust.json"));
        var verified = Run("release", "verify", "--store", Store, "--app", "app", "--version", "1.0", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen"));
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Error);
        var logVerified = Run("log", "verify", LogDir, "--vkey", verifierKey, "--state", _dir.Combine("seen-log"));
        Assert.True(logVerified.ExitCode == ExitCodes.Ok, logVerified.Error);

        File.WriteAllText(_dir.Combine("entry.bin"), "an entry");
        var appended = Run("log", "append", LogDir, _dir.Combine("entry.bin"));
        Assert.True(appended.ExitCode == ExitCodes.Ok, appended.Error);
        var index = appended.Out.Split('\t')[0];
        Assert.Equal(ExitCodes.Ok, Run("log", "receipt", LogDir, "--index", index, "-o", _dir.Combine("entry.tlog-proof")).ExitCode);
        var receipt = Run("log", "verify-receipt", _dir.Combine("entry.tlog-proof"), "--entry", _dir.Combine("entry.bin"), "--vkey", verifierKey);
        Assert.True(receipt.ExitCode == ExitCodes.Ok, receipt.Error);
    }

    [Fact]
    public async Task The_library_entry_point_opens_the_writer_with_a_token_key_reference()
    {
        Assert.Equal(ExitCodes.Ok, Init(LogKey()).ExitCode);
        var log = LogDirectory.Open(LogDir).Value;
        var opened = log.OpenWriter(LogKeyReference.Parse(LogKey()).Value);
        Assert.True(opened.IsOk, opened.IsOk ? null : opened.Problem.Message);
        await using (var writer = opened.Value)
        {
            var (index, timestamp) = await writer.Writer.AppendWithTimestampAsync("from the server"u8.ToArray());
            Assert.Null(timestamp.Verify(log.Verifier, "from the server"u8, index));
        }
        Assert.True(log.ReadCheckpoint().IsOk);
    }

    [Fact]
    public void A_wrong_pin_at_init_is_refused_without_echoing_it_and_creates_nothing()
    {
        File.WriteAllText(_dir.Combine("wrong-pin"), "98761\n");
        var created = Init(SoftHsmToken.UriWithPinFile("log", _dir.Combine("wrong-pin")));
        Assert.Equal(ExitCodes.InputError, created.ExitCode);
        Assert.Contains(ErrorCodes.Pkcs11LoginFailed, created.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("98761", created.Error + created.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Store));
    }

    [Fact]
    public void A_missing_token_object_at_init_is_named_and_creates_nothing()
    {
        var created = Init(LogKey("no-such-key"));
        Assert.Equal(ExitCodes.InputError, created.ExitCode);
        Assert.Contains(ErrorCodes.Pkcs11KeyUnavailable, created.Error, StringComparison.Ordinal);
        Assert.Contains("'no-such-key'", created.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Store));
    }

    [Fact]
    public void A_pin_value_is_never_kept_in_the_store_config()
    {
        var created = Init(SoftHsmToken.Uri(label: "log", pin: SoftHsmToken.Pin));
        Assert.Equal(ExitCodes.InputError, created.ExitCode);
        Assert.Contains(ErrorCodes.Pkcs11PinInStoreConfig, created.Error, StringComparison.Ordinal);
        Assert.Contains("pin-source=file:", created.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("pin-value=" + SoftHsmToken.Pin, created.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Store));
    }

    [Theory]
    [InlineData("pin-value", ErrorCodes.Pkcs11PinInStoreConfig, "pin-source=file:")]
    [InlineData("wrong-pin", ErrorCodes.Pkcs11LoginFailed, "refused the PIN")]
    [InlineData("another-key", ErrorCodes.SignerKeyMalformed, "is not this log's key")]
    public void A_store_config_edited_to_name_its_token_key_unusably_or_another_key_is_refused_before_it_signs(string edit, string code, string named)
    {
        Assert.Equal(ExitCodes.Ok, Init(LogKey()).ExitCode);
        File.WriteAllText(_dir.Combine("wrong-pin"), "98761\n");
        EditConfig(config => config["keyFile"] = edit switch
        {
            "pin-value" => SoftHsmToken.Uri(label: "log"),
            "wrong-pin" => SoftHsmToken.UriWithPinFile("log", _dir.Combine("wrong-pin")),
            _ => LogKey("other"),
        });
        var checkpoint = File.ReadAllText(Path.Combine(LogDir, "checkpoint"));

        var published = Publish();
        Assert.Equal(ExitCodes.InputError, published.ExitCode);
        Assert.Contains(code, published.Error, StringComparison.Ordinal);
        Assert.Contains(named, published.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("98761", published.Error + published.Out, StringComparison.Ordinal);
        Assert.Equal(checkpoint, File.ReadAllText(Path.Combine(LogDir, "checkpoint")));
    }

    [Fact]
    public void A_log_taken_over_by_another_token_key_fails_verification_against_the_trusted_log_key()
    {
        Assert.Equal(ExitCodes.Ok, Init(LogKey()).ExitCode);
        Assert.Equal(ExitCodes.Ok, Publish().ExitCode);
        File.Copy(Path.Combine(Store, "trust.json"), _dir.Combine("trust.json"));
        var trustedKey = Run("log", "verifier-key", Origin, "--key", LogKey()).Out.Trim();
        // Whoever edits the store's config to name their own key must also re-sign its checkpoint and drop the
        // store's record of published checkpoints: a writer checks both with the key the config names.
        var other = LogKeyReference.Parse(LogKey("other")).Value.Open(Origin).Value;
        EditConfig(config =>
        {
            config["keyFile"] = LogKey("other");
            config["verifierKey"] = other.VerifierKey;
        });
        var checkpointPath = Path.Combine(LogDir, "checkpoint");
        File.WriteAllText(checkpointPath, SignedNote.Sign(SignedNote.Parse(File.ReadAllText(checkpointPath)).Value.Text, other).ToString());
        File.Delete(Path.Combine(LogDir, ".rollproof", "checkpoints.log"));
        var published = Publish("2.0");
        Assert.Equal(ExitCodes.VerificationFailed, published.ExitCode);
        Assert.Contains(ErrorCodes.KeyNotTrusted, published.Error, StringComparison.Ordinal);
        File.WriteAllText(_dir.Combine("entry.bin"), "an entry");
        Assert.Equal(ExitCodes.Ok, Run("log", "append", LogDir, _dir.Combine("entry.bin")).ExitCode);

        var verified = Run("release", "verify", "--store", Store, "--app", "app", "--version", "1.0", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen"));
        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains(ErrorCodes.NoteNoTrustedSignature, verified.Error, StringComparison.Ordinal);
        var logVerified = Run("log", "verify", LogDir, "--vkey", trustedKey, "--state", _dir.Combine("seen-log"));
        Assert.Equal(ExitCodes.VerificationFailed, logVerified.ExitCode);
        Assert.Contains(ErrorCodes.NoteNoTrustedSignature, logVerified.Error, StringComparison.Ordinal);
    }

    private string LogDir => Path.Combine(Store, "log");

    private string LogConfigPath => Path.Combine(LogDir, ".rollproof", "log.json");

    private void EditConfig(Action<JsonNode> edit)
    {
        var config = JsonNode.Parse(File.ReadAllText(LogConfigPath))!;
        edit(config);
        File.WriteAllText(LogConfigPath, config.ToJsonString());
    }

    private CliRunner.Outcome Init(string logKey) => Run("init", Store, "--origin", Origin, "--log-key", logKey, "--json");

    private CliRunner.Outcome Publish(string version = "1.0")
    {
        File.WriteAllText(_dir.Combine("app.bin"), "the artifact " + version);
        return Run("release", "publish", "--store", Store, "--app", "app", "--version", version, "--artifact", _dir.Combine("app.bin"), "--key", SoftHsmToken.Uri(), "--json");
    }
}
