using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>Policies are logged statements; a change takes effect only once another admin of the policy in force approves it.</summary>
public sealed class PolicyCommandTests : IDisposable
{
    private static readonly string[] AdminKinds = ["policy", "approval"];
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, PrivateKey> _keys = new()
    {
        ["root"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256),
        ["ada"] = PrivateKey.Generate(KeyAlgorithm.Ed25519),
        ["mallory"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256),
    };

    public PolicyCommandTests()
    {
        foreach (var (name, key) in _keys)
            File.WriteAllText(_dir.Combine(name + ".pem"), key.ToUnencryptedPem());
        File.WriteAllText(_dir.Combine("trust.json"), JsonSerializer.Serialize(new
        {
            keys = _keys.Select(k => new { name = k.Key, kinds = AdminKinds, validFrom = "2020-01-01T00:00:00Z", publicKey = k.Value.PublicKey.ToPem() }),
        }));
        Assert.Equal(ExitCodes.Ok, Run("init", Store, "--trust", _dir.Combine("trust.json")).ExitCode);
        WritePolicy("v1.yaml", required: 2);
        WritePolicy("v2.yaml", required: 3);
    }

    private string Store => _dir.Combine("store");

    public void Dispose()
    {
        foreach (var key in _keys.Values)
            key.Dispose();
        _dir.Dispose();
    }

    private void WritePolicy(string file, int required) => File.WriteAllText(_dir.Combine(file), $"""
        environment: prod
        roles:
          requesters: [alice]
          approvers: [carol, dave, erin]
          admins: [root, ada]
        approvals:
          required: {required}
        policyChanges:
          approvals: 1
        """);

    private CliRunner.Outcome Set(string file, string key) => Run("policy", "set", _dir.Combine(file), "--store", Store, "--key", _dir.Combine(key + ".pem"), "--json");

    private JsonElement Show() => JsonDocument.Parse(Run("policy", "show", "--store", Store, "--env", "prod", "--json").Out).RootElement;

    [Fact]
    public void A_change_waits_for_another_admin_and_then_takes_effect()
    {
        Assert.Equal(ExitCodes.Ok, Set("v1.yaml", "root").ExitCode);
        var change = JsonDocument.Parse(Set("v2.yaml", "root").Out).RootElement.GetProperty("logIndex").GetInt64();

        var pending = Show();
        Assert.Equal(1, pending.GetProperty("logIndex").GetInt64());
        Assert.Equal(change, pending.GetProperty("pending")[0].GetProperty("logIndex").GetInt64());

        var byAuthor = Run("policy", "approve", change.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", Store, "--key", _dir.Combine("root.pem"));
        Assert.Equal(ExitCodes.VerificationFailed, byAuthor.ExitCode);
        Assert.Contains("proposed this change and may not approve it", byAuthor.Error, StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, Run("policy", "approve", change.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", Store, "--key", _dir.Combine("ada.pem")).ExitCode);
        var effective = Show();
        Assert.Equal(change, effective.GetProperty("logIndex").GetInt64());
        Assert.Equal(0, effective.GetProperty("pending").GetArrayLength());
    }

    [Fact]
    public void Only_an_admin_of_the_policy_in_force_may_propose_or_approve_a_change()
    {
        Set("v1.yaml", "root");

        var proposed = Set("v2.yaml", "mallory");
        var change = JsonDocument.Parse(Set("v2.yaml", "root").Out).RootElement.GetProperty("logIndex").GetInt64();
        var approved = Run("policy", "approve", change.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", Store, "--key", _dir.Combine("mallory.pem"));

        Assert.Equal(ExitCodes.VerificationFailed, proposed.ExitCode);
        Assert.Contains(ErrorCodes.RoleNotHeld, proposed.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, approved.ExitCode);
        Assert.Equal(1, Show().GetProperty("logIndex").GetInt64());
    }

    [Fact]
    public void A_broken_policy_is_refused_naming_the_line_and_nothing_is_logged()
    {
        File.WriteAllText(_dir.Combine("bad.yaml"), "environment: prod\napprovals:\n  required: lots\n");

        var set = Set("bad.yaml", "root");
        var missing = Run("policy", "show", "--store", Store, "--env", "prod");

        Assert.Equal(ExitCodes.InputError, set.ExitCode);
        Assert.Contains("line 3: approvals.required", set.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, missing.ExitCode);
        Assert.Contains("prod has no rollback policy", missing.Error, StringComparison.Ordinal);
        Assert.StartsWith("rollproof.local/store\n1\n", File.ReadAllText(Path.Combine(Store, "log", "checkpoint")), StringComparison.Ordinal);
    }
}
