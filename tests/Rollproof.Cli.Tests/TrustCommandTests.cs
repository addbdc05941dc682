using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Trust;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A team of four sets up trust in one command (<c>trust init</c>), starts a store from it, and then changes and
/// reads its trust through the log (<c>trust add</c>, <c>trust show</c>).
/// </summary>
public sealed class TrustCommandTests : IDisposable
{
    private static readonly string[] Team = ["ci", "ops", "alice", "root", "bob", "mallory"];
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, PrivateKey> _keys = Team.ToDictionary(p => p, _ => PrivateKey.Generate(KeyAlgorithm.EcdsaP256));

    public TrustCommandTests()
    {
        foreach (var (name, key) in _keys)
        {
            File.WriteAllText(_dir.Combine(name + ".pem"), key.ToUnencryptedPem());
            File.WriteAllText(_dir.Combine(name + ".pub"), key.PublicKey.ToPem());
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
            key.Dispose();
        _dir.Dispose();
    }

    private string TrustPath => _dir.Combine("trust.json");

    private string Store => _dir.Combine("store");

    private string Pub(string person) => _dir.Combine(person + ".pub");

    private string Role(string person) => $"{person}={Pub(person)}";

    private string[] TeamOfFour => ["--ci", Role("ci"), "--operator", Role("ops"), "--approver", Role("alice"), "--admin", Role("root")];

    [Fact]
    public void A_team_of_four_sets_up_trust_in_one_command_and_the_store_works_with_it()
    {
        var written = JsonDocument.Parse(Ok(["trust", "init", "-o", TrustPath, .. TeamOfFour, "--json"]).Out).RootElement;

        var kinds = written.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!, k => string.Join(",", k.GetProperty("kinds").EnumerateArray().Select(s => s.GetString())));
        Assert.Equal("release", kinds["ci"]);
        Assert.Equal("deployment,execution,notification,report,rollback-amendment,rollback-request", kinds["ops"]);
        Assert.Equal("approval,review,rollback-request", kinds["alice"]);
        Assert.Equal("key-change,lock-override,policy", kinds["root"]);
        var validFrom = TrustFile.Parse(File.ReadAllBytes(TrustPath)).Value.Keys[0].ValidFrom;
        Assert.Equal(0, validFrom.Ticks % TimeSpan.TicksPerSecond);

        Ok("init", Store, "--trust", TrustPath);
        File.WriteAllText(_dir.Combine("app.tar"), "shop 1.0");
        Ok("release", "publish", "--store", Store, "--app", "shop", "--version", "1.0", "--artifact", _dir.Combine("app.tar"), "--key", _dir.Combine("ci.pem"));
        Ok("release", "verify", "--store", Store, "--app", "shop", "--version", "1.0", "--state", _dir.Combine("seen"));
        var byOps = Run("release", "publish", "--store", Store, "--app", "shop", "--version", "1.1", "--artifact", _dir.Combine("app.tar"), "--key", _dir.Combine("ops.pem"));
        Assert.Equal(ExitCodes.VerificationFailed, byOps.ExitCode);
    }

    [Fact]
    public void A_key_with_kinds_of_its_own_and_the_trust_on_stdout()
    {
        var printed = Ok("trust", "init", "-o", "-", "--key", $"alice={Pub("alice")}:approval, review", "--ci", Role("ci"), "--valid-from", "2026-01-01T00:00:00Z", "--valid-until", "2027-01-01T00:00:00Z");

        var trust = TrustFile.Parse(System.Text.Encoding.UTF8.GetBytes(printed.Out)).Value;
        var alice = trust.Keys.Single(k => k.Name == "alice");
        Assert.Equal(["approval", "review"], alice.Kinds.Order(StringComparer.Ordinal));
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), alice.ValidFrom);
        Assert.Equal(_keys["alice"].PublicKey.KeyId, alice.Key.KeyId);
        Assert.False(File.Exists(_dir.Combine("-")));
    }

    public static TheoryData<string[], int, string> Mistakes => new()
    {
        { ["--key", "alice={alice}:approval,deploy"], ExitCodes.Usage, "--key 'alice={alice}:approval,deploy': unknown kind 'deploy'; the kinds are release, deployment, rollback-request" },
        { ["--key", "alice={alice}:checkpoint"], ExitCodes.Usage, "'checkpoint' is the log's key's kind" },
        { ["--key", "alice={alice}"], ExitCodes.Usage, "--key 'alice={alice}': expected NAME=PUBLIC_KEY_FILE:KIND[,KIND…]" },
        { ["--approver", "{alice}"], ExitCodes.Usage, "--approver '{alice}': expected NAME=PUBLIC_KEY_FILE" },
        { ["--approver", "al ice={alice}"], ExitCodes.Usage, "the name 'al ice' is not valid" },
        { ["--approver", "alice={alice}", "--admin", "alice={root}"], ExitCodes.Usage, "the name 'alice' is given twice (--approver 'alice={alice}' and --admin 'alice={root}')" },
        { ["--approver", "alice={alice}", "--admin", "root={alice}"], ExitCodes.InputError, "--approver 'alice={alice}' and --admin 'root={alice}' are the same public key" },
        { ["--approver", "alice={missing}"], ExitCodes.InputError, "public key file '{missing}' does not exist" },
        { ["--approver", "alice={huge}"], ExitCodes.InputError, "is 20000 bytes, more than the 16384-byte limit" },
        { ["--approver", "alice={alice.pem}"], ExitCodes.InputError, "expected a PUBLIC KEY PEM block" },
        { ["--approver", "alice=/dev/zero"], ExitCodes.InputError, "public key file '/dev/zero' is not a regular file" },
        { ["--valid-from", "2026-01-01T00:00:00Z"], ExitCodes.Usage, "give at least one key" },
        { ["--ci", "ci={ci}", "--valid-from", "2026-01-01T00:00:00Z", "--valid-until", "2025-01-01T00:00:00Z"], ExitCodes.Usage, "--valid-until '2025-01-01T00:00:00.0000000+00:00' must come after --valid-from" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Trust_init_refuses_a_mistake_naming_the_option_and_value_and_writes_nothing(string[] args, int exitCode, string message)
    {
        File.WriteAllText(_dir.Combine("huge.pub"), new string('A', 20000));
        string Fill(string text) => text
            .Replace("{alice.pem}", _dir.Combine("alice.pem"), StringComparison.Ordinal).Replace("{missing}", _dir.Combine("nobody.pub"), StringComparison.Ordinal)
            .Replace("{huge}", _dir.Combine("huge.pub"), StringComparison.Ordinal).Replace("{alice}", Pub("alice"), StringComparison.Ordinal)
            .Replace("{root}", Pub("root"), StringComparison.Ordinal).Replace("{ci}", Pub("ci"), StringComparison.Ordinal);

        var refused = Run(["trust", "init", "-o", TrustPath, .. args.Select(Fill)]);

        Assert.Equal(exitCode, refused.ExitCode);
        Assert.Contains(Fill(message), refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(TrustPath));
    }

    [Fact]
    public void Trust_init_never_overwrites_a_file_and_keeps_stdout_for_the_trust_alone()
    {
        File.WriteAllText(TrustPath, "mine");

        var exists = Run(["trust", "init", "-o", TrustPath, .. TeamOfFour]);
        var mixed = Run(["trust", "init", "-o", "-", "--json", .. TeamOfFour]);

        Assert.Equal(ExitCodes.InputError, exists.ExitCode);
        Assert.Contains($"--output '{TrustPath}' already exists", exists.Error, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(TrustPath));
        Assert.Equal(ExitCodes.Usage, mixed.ExitCode);
        Assert.Contains("--output - writes the trust file to stdout", mixed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Trust_add_takes_comma_lists_and_refuses_unknown_kinds_bad_names_and_a_key_trusted_already_logging_nothing()
    {
        StartStore();
        var before = LogSize();

        var unknown = Run(AddBob("--kind", "approval,deploy"));
        var badName = Run("trust", "add", "--store", Store, "--name", "bob smith", "--public-key", Pub("bob"), "--kind", "approval", "--key", _dir.Combine("root.pem"));
        var sameKey = Run("trust", "add", "--store", Store, "--name", "alice-2", "--public-key", Pub("alice"), "--kind", "approval", "--key", _dir.Combine("root.pem"));

        Assert.Equal(ExitCodes.Usage, unknown.ExitCode);
        Assert.Contains("--kind 'approval,deploy': unknown kind 'deploy'; the kinds are release,", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badName.ExitCode);
        Assert.Contains("--name 'bob smith'", badName.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, sameKey.ExitCode);
        Assert.Contains($"the public key {_keys["alice"].PublicKey.KeyId} is trusted already, as 'alice'", sameKey.Error, StringComparison.Ordinal);
        Assert.Equal(before, LogSize());

        Ok(AddBob("--kind", "approval,review", "--kind", "rollback-request"));
        var bob = TrustFile.Parse(File.ReadAllBytes(Path.Combine(Store, "trust.json"))).Value.Keys.Single(k => k.Name == "bob");
        Assert.Equal(["approval", "review", "rollback-request"], bob.Kinds.Order(StringComparer.Ordinal));
        Assert.Equal(before, bob.AddedAt);
    }

    [Fact]
    public async Task Trust_show_lists_what_the_log_trusts_and_the_key_changes_it_set_aside()
    {
        StartStore();
        Ok(AddBob("--kind", "approval"));
        // A key change by a stranger, appended as anyone who can write to the log could.
        File.WriteAllBytes(_dir.Combine("by-stranger.json"), KeyChange("eve", "mallory").Sign(_keys["mallory"]).ToJson());
        Ok("log", "append", Path.Combine(Store, "log"), _dir.Combine("by-stranger.json"));
        // One by a trusted approver, with its signed timestamp: alice may not sign key changes.
        var byApprover = await AppendWithTimestampAsync(KeyChange("eve-2", "mallory").Sign(_keys["alice"]).ToJson());

        var shown = JsonDocument.Parse(Ok("trust", "show", "--store", Store, "--json").Out).RootElement;
        var text = Ok("trust", "show", "--store", Store).Out;

        var keys = shown.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("name").GetString()!);
        Assert.Equal(["alice", "bob", "ci", "log", "ops", "root"], keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, keys["alice"].GetProperty("addedAt").GetInt64());
        Assert.Equal(1, keys["bob"].GetProperty("addedAt").GetInt64());
        Assert.Equal(_keys["bob"].PublicKey.KeyId, keys["bob"].GetProperty("keyId").GetString());
        var setAside = shown.GetProperty("setAside").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Equal(2, setAside.Count);
        Assert.Contains("log entry 2 (key change): signed by no key of the trust file", setAside);
        Assert.Contains($"log entry {byApprover} (key change): key 'alice' may sign approval, review, rollback-request, not key-change", setAside);
        Assert.Contains("bob  " + _keys["bob"].PublicKey.KeyId + "  approval  valid from", text, StringComparison.Ordinal);
        Assert.Contains("set aside (2):", text, StringComparison.Ordinal);
    }

    private void StartStore()
    {
        Ok(["trust", "init", "-o", TrustPath, .. TeamOfFour]);
        Ok("init", Store, "--trust", TrustPath);
    }

    private string[] AddBob(params string[] kinds) =>
        ["trust", "add", "--store", Store, "--name", "bob", "--public-key", Pub("bob"), .. kinds, "--key", _dir.Combine("root.pem")];

    private InTotoStatement KeyChange(string name, string person) =>
        KeyChangeStatement.Of(new KeyChangePredicate(KeyChangePredicate.Add, name, _keys[person].PublicKey.ToPem(), [KnownKinds.KeyChange], DateTimeOffset.UnixEpoch, null, null));

    private async Task<long> AppendWithTimestampAsync(byte[] entry)
    {
        var store = ReleaseStore.Open(Store).Value;
        await using var writer = store.Log.OpenWriter().Value;
        var (index, timestamp) = await writer.Writer.AppendWithTimestampAsync(entry);
        store.Log.Timestamps.Keep(index, timestamp);
        return index;
    }

    private long LogSize() => JsonDocument.Parse(Ok("log", "checkpoint", Path.Combine(Store, "log"), "--json").Out).RootElement.GetProperty("size").GetInt64();

    private static Outcome Ok(params string[] args)
    {
        var outcome = Run(args);
        Assert.True(outcome.ExitCode == ExitCodes.Ok, $"{string.Join(' ', args.Take(2))} failed: {outcome.Error}");
        return outcome;
    }
}
