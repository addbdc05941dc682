using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>Releases signed with a key in a real PKCS#11 token (SoftHSM2), through --key pkcs11:...</summary>
[Collection(SoftHsmTests.Name)]
public sealed class Pkcs11SigningTests : IDisposable
{
    private readonly SoftHsmToken _token;
    private readonly TempDirectory _dir = new();

    public Pkcs11SigningTests(SoftHsmToken token)
    {
        _token = token;
        Assert.Equal(ExitCodes.Ok, Run("log", "keygen", "releases.example/log", "-o", _dir.Combine("log.key")).ExitCode);
        Assert.Equal(ExitCodes.Ok, Run("init", Store, "--origin", "releases.example/log", "--log-key", _dir.Combine("log.key")).ExitCode);
        File.WriteAllText(_dir.Combine("app.bin"), "the artifact");
    }

    private static readonly string[] Kinds = ["release"];

    private string Store => _dir.Combine("store");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_release_signed_in_the_token_verifies_against_the_tokens_exported_public_key()
    {
        var trust = JsonNode.Parse(File.ReadAllText(Path.Combine(Store, "trust.json")))!;
        trust["keys"]!.AsArray().Add(JsonSerializer.SerializeToNode(new { name = "hsm", kinds = Kinds, validFrom = "2020-01-01T00:00:00Z", publicKey = _token.PublicKeyPem }));
        File.WriteAllText(_dir.Combine("trust.json"), trust.ToJsonString());

        var published = Publish(SoftHsmToken.Uri());
        Assert.True(published.ExitCode == ExitCodes.Ok, published.Error);
        Assert.Equal(_token.KeyId, JsonDocument.Parse(published.Out).RootElement.GetProperty("signedBy").GetString());
        var verified = Run("release", "verify", "--store", Store, "--app", "app", "--version", "1.0", "--trust", _dir.Combine("trust.json"), "--state", _dir.Combine("seen"));
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Error);
    }

    [Fact]
    public void Key_export_public_prints_the_token_keys_public_half()
    {
        var exported = Run("key", "export-public", SoftHsmToken.Uri(), "--json");
        Assert.True(exported.ExitCode == ExitCodes.Ok, exported.Error);
        var json = JsonDocument.Parse(exported.Out).RootElement;
        Assert.Equal(_token.KeyId, json.GetProperty("keyId").GetString());
        Assert.Equal(_token.PublicKeyPem.Trim(), json.GetProperty("publicKeyPem").GetString()!.Trim());
        Assert.DoesNotContain(SoftHsmToken.Pin, exported.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_pin_is_refused_without_echoing_it_and_nothing_is_logged()
    {
        var published = Publish(SoftHsmToken.Uri(pin: "98761"));
        Assert.Equal(ExitCodes.InputError, published.ExitCode);
        Assert.Contains(ErrorCodes.Pkcs11LoginFailed, published.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("98761", published.Error + published.Out, StringComparison.Ordinal);
        Assert.StartsWith("releases.example/log\n1\n", File.ReadAllText(Path.Combine(Store, "log", "checkpoint")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_object_is_named()
    {
        var published = Publish(SoftHsmToken.Uri(label: "no-such-key"));
        Assert.Equal(ExitCodes.InputError, published.ExitCode);
        Assert.Contains(ErrorCodes.Pkcs11KeyUnavailable, published.Error, StringComparison.Ordinal);
        Assert.Contains("'no-such-key'", published.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_uri_attribute_is_a_usage_error_naming_it()
    {
        var published = Publish(SoftHsmToken.Uri() + "&pin-vaule=1234");
        Assert.Equal(ExitCodes.Usage, published.ExitCode);
        Assert.Contains("'pin-vaule'", published.Error, StringComparison.Ordinal);
    }

    private CliRunner.Outcome Publish(string key) =>
        Run("release", "publish", "--store", Store, "--app", "app", "--version", "1.0", "--artifact", _dir.Combine("app.bin"), "--key", key, "--json");
}
