using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

public sealed class KeyCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public KeyCommandTests()
    {
        File.WriteAllText(_dir.Combine("pass"), "correct horse battery staple\n");
    }

    public void Dispose() => _dir.Dispose();

    private string Ring => _dir.Combine("keys");

    [Fact]
    public void Generate_writes_an_encrypted_private_key_and_its_public_key()
    {
        var result = Run("key", "generate", "ci", "--keyring", Ring, "--passphrase-file", _dir.Combine("pass"), "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("ecdsa-p256", json.GetProperty("algorithm").GetString());
        Assert.True(json.GetProperty("encrypted").GetBoolean());
        var privatePem = File.ReadAllText(Path.Combine(Ring, "ci.key"));
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", privatePem, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Ring, "ci.key")));
        using var key = PrivateKey.FromPem(privatePem, "correct horse battery staple").Value;
        Assert.Equal(json.GetProperty("keyId").GetString(), key.KeyId);
        Assert.DoesNotContain("correct horse", result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_passphrase_source_generate_refuses_and_writes_nothing()
    {
        var result = Run("key", "generate", "ci", "--keyring", Ring);
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.Contains("--passphrase-file", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Ring, "ci.key")));
    }

    [Fact]
    public void Opting_out_of_a_passphrase_warns()
    {
        var result = Run("key", "generate", "dev", "--algorithm", "ed25519", "--keyring", Ring, "--no-passphrase");
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("warning: the private key is stored unencrypted", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(Ring, "dev.key")), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_export_public_and_list_agree_on_the_key_id()
    {
        using var existing = PrivateKey.Generate(KeyAlgorithm.Ed25519);
        File.WriteAllText(_dir.Combine("alice.pem"), existing.ToUnencryptedPem());
        Run("key", "generate", "ci", "--keyring", Ring, "--no-passphrase");

        var imported = Run("key", "import", _dir.Combine("alice.pem"), "--name", "alice", "--keyring", Ring, "--passphrase-file", _dir.Combine("pass"));
        var exported = Run("key", "export-public", "alice", "--keyring", Ring);
        var list = JsonDocument.Parse(Run("key", "list", "--keyring", Ring, "--json").Out).RootElement;

        Assert.Equal(ExitCodes.Ok, imported.ExitCode);
        Assert.Equal(existing.PublicKey.ToPem().Trim(), exported.Out.Trim());
        Assert.Equal(["alice", "ci"], list.EnumerateArray().Select(k => k.GetProperty("name").GetString()));
        Assert.Equal(existing.KeyId, list[0].GetProperty("keyId").GetString());
        Assert.True(list[0].GetProperty("encrypted").GetBoolean());
        Assert.False(list[1].GetProperty("encrypted").GetBoolean());
    }

    [Theory]
    [InlineData("key", "generate", "../escape", "--keyring", "{ring}", "--no-passphrase")]
    [InlineData("key", "export-public", "nobody", "--keyring", "{ring}")]
    [InlineData("key", "import", "{dir}/missing.pem", "--name", "x", "--keyring", "{ring}", "--no-passphrase")]
    public void Bad_key_requests_fail_with_input_errors(params string[] args)
    {
        var result = Run([.. args.Select(a => a.Replace("{ring}", Ring).Replace("{dir}", _dir.Path))]);
        Assert.Equal(ExitCodes.InputError, result.ExitCode);
        Assert.StartsWith("error", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_already_in_the_keyring_is_never_overwritten()
    {
        Run("key", "generate", "ci", "--keyring", Ring, "--no-passphrase");
        var before = File.ReadAllText(Path.Combine(Ring, "ci.key"));
        Assert.Equal(ExitCodes.InputError, Run("key", "generate", "ci", "--keyring", Ring, "--no-passphrase").ExitCode);
        Assert.Equal(before, File.ReadAllText(Path.Combine(Ring, "ci.key")));
    }

    [Fact]
    public void An_unknown_algorithm_is_a_usage_error()
    {
        Assert.Equal(ExitCodes.Usage, Run("key", "generate", "ci", "--algorithm", "rsa", "--keyring", Ring).ExitCode);
    }
}
