using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>Deployments recorded in the ledger, and the index that answers auditors' questions from the log.</summary>
public sealed class LedgerCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly PrivateKey _ops = PrivateKey.Generate(KeyAlgorithm.Ed25519);

    public LedgerCommandTests()
    {
        File.WriteAllText(_dir.Combine("ci.pem"), _ci.ToUnencryptedPem());
        File.WriteAllText(_dir.Combine("ops.pem"), _ops.ToUnencryptedPem());
        File.WriteAllText(_dir.Combine("trust.json"), JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { name = "ci", kinds = ReleaseKind, validFrom = "2020-01-01T00:00:00Z", publicKey = _ci.PublicKey.ToPem() },
                new { name = "ops", kinds = DeploymentKind, validFrom = "2020-01-01T00:00:00Z", publicKey = _ops.PublicKey.ToPem() },
            },
        }));
        Assert.Equal(ExitCodes.Ok, Run("init", Store, "--trust", _dir.Combine("trust.json")).ExitCode);
        foreach (var version in new[] { "1.0", "1.1" })
        {
            File.WriteAllText(_dir.Combine($"shop-{version}.tar"), $"shop {version}");
            Assert.Equal(ExitCodes.Ok, Run("release", "publish", "--store", Store, "--app", "shop", "--version", version, "--artifact", _dir.Combine($"shop-{version}.tar"), "--key", _dir.Combine("ci.pem")).ExitCode);
        }
    }

    private static readonly string[] ReleaseKind = ["release"];
    private static readonly string[] DeploymentKind = ["deployment"];

    private string Store => _dir.Combine("store");

    public void Dispose()
    {
        _ci.Dispose();
        _ops.Dispose();
        _dir.Dispose();
    }

    private CliRunner.Outcome Deploy(string env, string version, string key = "ops.pem") =>
        Run("deploy", "record", "--store", Store, "--env", env, "--app", "shop", "--version", version, "--key", _dir.Combine(key), "--tool", "kubectl", "--state", _dir.Combine("seen"), "--json");

    private JsonElement Query(params string[] args) => JsonDocument.Parse(Run(["query", .. args, "--store", Store, "--json"]).Out).RootElement;

    [Fact]
    public void Queries_answer_what_runs_where_an_apps_history_who_holds_a_digest_and_what_an_actor_did()
    {
        Assert.Equal(ExitCodes.Ok, Deploy("prod", "1.0").ExitCode);
        Assert.Equal(ExitCodes.Ok, Deploy("staging", "1.1").ExitCode);
        Assert.Equal(ExitCodes.Ok, Deploy("prod", "1.1").ExitCode);

        var environments = Query("environments");
        Assert.Equal(["prod shop 1.1 ops", "staging shop 1.1 ops"], environments.EnumerateArray().Select(e => $"{e.GetProperty("environment")} {e.GetProperty("app")} {e.GetProperty("version")} {e.GetProperty("by")}"));
        Assert.Equal(
            ["release shop 1.0", "release shop 1.1", "deployment of shop 1.0 to prod", "deployment of shop 1.1 to staging", "deployment of shop 1.1 to prod"],
            Query("history", "shop").EnumerateArray().Select(e => e.GetProperty("summary").GetString()));
        var digest = Sha256Digest.Of("shop 1.0"u8).ToString();
        var holders = Query("digest", digest);
        Assert.Equal("1.0", Assert.Single(holders.EnumerateArray()).GetProperty("version").GetString());
        Assert.Equal(3, Query("actor", "ops").GetArrayLength());
        Assert.Equal(2, Query("actor", "ci").GetArrayLength());
    }

    [Fact]
    public void A_rebuilt_index_holds_exactly_the_rows_the_live_one_built_up()
    {
        Deploy("prod", "1.0");
        Deploy("prod", "1.1");
        var live = IndexDump.Of(Store);

        var rebuilt = Run("index", "rebuild", "--store", Store, "--json");

        Assert.Equal(ExitCodes.Ok, rebuilt.ExitCode);
        Assert.Equal(5, JsonDocument.Parse(rebuilt.Out).RootElement.GetProperty("entries").GetInt64());
        Assert.Equal(live, IndexDump.Of(Store));
        Assert.Contains("deployment of shop 1.1 to prod", live, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_without_the_right_to_record_deployments_is_refused_and_nothing_is_logged()
    {
        var refused = Deploy("prod", "1.0", key: "ci.pem");

        Assert.Equal(ExitCodes.VerificationFailed, refused.ExitCode);
        Assert.Contains("may not sign a deployment statement", refused.Error, StringComparison.Ordinal);
        Assert.StartsWith("rollproof.local/store\n3\n", File.ReadAllText(Path.Combine(Store, "log", "checkpoint")), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_release_that_verifies_can_be_recorded_as_deployed()
    {
        var artifact = Sha256Digest.Of("shop 1.0"u8);
        var blob = Path.Combine(Store, "artifacts", "sha256", artifact.Hex[..2], artifact.Hex);
        File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(blob, "shop 1.0 with a backdoor");

        var tampered = Deploy("prod", "1.0");
        var unknown = Deploy("prod", "9.9");
        var badEnv = Deploy("prod/eu", "1.1");

        Assert.Equal(ExitCodes.VerificationFailed, tampered.ExitCode);
        Assert.Contains("cannot be recorded as deployed", tampered.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, unknown.ExitCode);
        Assert.Equal(ExitCodes.InputError, badEnv.ExitCode);
        Assert.Contains("environment 'prod/eu'", badEnv.Error, StringComparison.Ordinal);
        Assert.StartsWith("rollproof.local/store\n3\n", File.ReadAllText(Path.Combine(Store, "log", "checkpoint")), StringComparison.Ordinal);
    }
}
