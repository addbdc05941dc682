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
        ["alice"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256),
        ["carol"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256),
        ["dave"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256),
        ["erin"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256),
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

    private void WritePolicy(string file, int required, string admins = "root, ada", int changeApprovals = 1) => File.WriteAllText(_dir.Combine(file), $"""
        environment: prod
        roles:
          requesters: [alice]
          approvers: [carol, dave, erin]
          admins: [{admins}]
        approvals:
          required: {required}
        policyChanges:
          approvals: {changeApprovals}
        """);

    private CliRunner.Outcome SetForPeople(string file, string key) => Run("policy", "set", _dir.Combine(file), "--store", Store, "--key", _dir.Combine(key + ".pem"));

    private long InForce() => Show().GetProperty("logIndex").GetInt64();

    private string Checkpoint() => File.ReadAllText(Path.Combine(Store, "log", "checkpoint"));

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

    [Fact]
    public void A_single_admin_bootstraps_and_changes_a_policy_that_lets_an_admin_change_it_at_once()
    {
        WritePolicy("solo-v1.yaml", required: 2, admins: "root", changeApprovals: 0);
        WritePolicy("solo-v2.yaml", required: 3, admins: "root", changeApprovals: 0);

        var first = SetForPeople("solo-v1.yaml", "root");
        var second = SetForPeople("solo-v2.yaml", "root");

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.Contains("policy for prod at log index 1 is in force", first.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, second.ExitCode);
        Assert.Contains("policy for prod at log index 2 is in force", second.Out, StringComparison.Ordinal);
        Assert.Equal(2, InForce());
    }

    [Fact]
    public void A_policy_whose_only_admin_could_never_have_a_change_approved_is_refused_and_nothing_is_logged()
    {
        WritePolicy("stuck.yaml", required: 2, admins: "root", changeApprovals: 1);
        var before = Checkpoint();

        var set = SetForPeople("stuck.yaml", "root");

        Assert.Equal(ExitCodes.InputError, set.ExitCode);
        Assert.Contains("policyChanges.approvals: 1 other admin(s) must approve a change to this policy, but roles.admins lists 1 (root)", set.Error, StringComparison.Ordinal);
        Assert.Contains("set policyChanges.approvals: 0", set.Error, StringComparison.Ordinal);
        Assert.Equal(before, Checkpoint());
    }

    [Fact]
    public void A_pending_change_says_how_many_approvals_it_needs_and_from_whom_and_in_force_only_once_it_is()
    {
        Set("v1.yaml", "root");

        var proposed = SetForPeople("v2.yaml", "root");
        var json = JsonDocument.Parse(Set("v2.yaml", "ada").Out).RootElement;

        Assert.Equal(ExitCodes.Ok, proposed.ExitCode);
        Assert.Contains("is pending, needs 1 more approval(s) from ada (admins of the policy in force, log index 1)", proposed.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("in force:", proposed.Out, StringComparison.Ordinal);
        Assert.Equal("pending", json.GetProperty("state").GetString());
        Assert.Equal(1, json.GetProperty("needs").GetInt32());
        Assert.Equal("root", json.GetProperty("mayApprove")[0].GetString());

        var approved = Run("policy", "approve", "2", "--store", Store, "--key", _dir.Combine("ada.pem"));
        Assert.Contains("policy for prod at log index 2 is in force", approved.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_change_that_lowers_the_bar_for_changes_still_needs_the_approvals_the_policy_in_force_asks_for()
    {
        Set("v1.yaml", "root");
        WritePolicy("solo.yaml", required: 0, admins: "root", changeApprovals: 0);

        var lowered = JsonDocument.Parse(Set("solo.yaml", "root").Out).RootElement;
        var next = JsonDocument.Parse(Set("v2.yaml", "root").Out).RootElement;
        var selfApproved = Run("policy", "approve", lowered.GetProperty("logIndex").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", Store, "--key", _dir.Combine("root.pem"));

        Assert.Equal("pending", lowered.GetProperty("state").GetString());
        Assert.Equal("pending", next.GetProperty("state").GetString());
        Assert.Equal(ExitCodes.VerificationFailed, selfApproved.ExitCode);
        Assert.Equal(1, InForce());
    }

    [Fact]
    public void The_rule_a_change_is_held_to_is_the_policy_in_force_when_it_is_logged_not_the_one_it_sets()
    {
        WritePolicy("open.yaml", required: 2, changeApprovals: 0);
        Set("open.yaml", "root");

        var closing = JsonDocument.Parse(Set("v1.yaml", "root").Out).RootElement;
        var after = JsonDocument.Parse(Set("v2.yaml", "root").Out).RootElement;

        Assert.Equal("in-force", closing.GetProperty("state").GetString());
        Assert.Equal("pending", after.GetProperty("state").GetString());
        Assert.Equal(closing.GetProperty("logIndex").GetInt64(), InForce());
    }

    [Fact]
    public void A_policy_naming_people_without_a_trusted_key_is_refused_naming_them_and_nothing_is_logged()
    {
        File.WriteAllText(_dir.Combine("typo.yaml"), "environment: prod\nroles:\n  requesters: [alcie]\n  approvers: [carol, dave]\n  admins: [root, ada]\nemergency: { breakGlass: [alice], reviewers: [zed] }\n");
        var before = Checkpoint();

        var set = SetForPeople("typo.yaml", "root");

        Assert.Equal(ExitCodes.InputError, set.ExitCode);
        Assert.Contains("the policy names alcie, zed, who hold no key in the store's trust", set.Error, StringComparison.Ordinal);
        Assert.Equal(before, Checkpoint());
    }
}
