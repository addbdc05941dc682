using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Cli.Infrastructure;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Retention;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// gc on a governed store: prod runs doc-signer 1.1, redeployed after 1.2 was published (1.2 never went live), and an
/// approved request rolls prod back to 1.0. What runs, what ran lately and what a rollback needs keep their files.
/// </summary>
public sealed class GcCommandTests : GovernedStoreTests
{
    [Fact]
    public void Gc_keeps_what_prod_runs_and_what_an_approved_rollback_needs_whatever_the_records_claim()
    {
        Release("1.2", lodash: "4.17.21", signing: "Ed25519", migrations: true);
        Ok("deploy", "record", "--store", Store, "--env", "prod", "--app", "doc-signer", "--version", "1.1", "--key", Key("ops"), "--state", State);
        Approved();
        ForgePublishedAt("1.2", "2099-01-01T00:00:00+00:00"); // whoever writes records makes theirs the newest for ever

        var collected = Run("gc", "--store", Store, "--keep", "1");

        Assert.Equal(ExitCodes.Ok, collected.ExitCode);
        Assert.Empty(Unverifiable("1.0", "1.1", "1.2"));
    }

    [Fact]
    public void A_dry_run_changes_nothing_and_says_why_each_release_is_kept_newest_by_log_order()
    {
        Release("1.2", lodash: "4.17.21", signing: "Ed25519", migrations: true);
        var request = Approved();
        ForgePublishedAt("1.0", "2099-01-01T00:00:00+00:00"); // the record's clock claims 1.0 is the newest
        var blobs = Blobs();

        var dry = JsonDocument.Parse(Ok("gc", "--store", Store, "--keep", "1", "--dry-run", "--json").Out).RootElement;
        var text = Ok("gc", "--store", Store, "--keep", "1", "--dry-run").Out;

        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        var reasons = dry.GetProperty("kept").EnumerateArray().ToDictionary(k => k.GetProperty("version").GetString()!, k => k.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList());
        Assert.Equal(["newest 1 of doc-signer"], reasons["1.2"]);
        Assert.StartsWith("runs in prod since ", reasons["1.1"][0], StringComparison.Ordinal);
        Assert.Equal($"current of approved request {request}", reasons["1.1"][1]);
        Assert.Equal(["ran in prod within 90d", $"target of approved request {request}"], reasons["1.0"]);
        Assert.Empty(dry.GetProperty("collected").EnumerateArray());
        Assert.Empty(dry.GetProperty("removed").EnumerateArray());
        Assert.Contains($"keeps doc-signer 1.0: ran in prod within 90d; target of approved request {request}", text, StringComparison.Ordinal);
        Assert.Contains("would free 0 artifact blob(s)", text, StringComparison.Ordinal);
        Assert.Equal(blobs, Blobs());
    }

    [Fact]
    public async Task A_release_that_left_prod_beyond_the_retention_is_collected_and_what_runs_is_not()
    {
        var report = await CollectAt(DateTimeOffset.UtcNow.AddDays(91), dryRun: false);

        Assert.Equal(["doc-signer 1.0"], report.Collected);
        Assert.Single(report.Removed);
        Assert.Contains(Assert.Single(report.Kept).Reasons, r => r.StartsWith("runs in prod since ", StringComparison.Ordinal));
        Assert.StartsWith("1.0: error RP2201", Assert.Single(Unverifiable("1.0", "1.1")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_whose_publish_was_cut_short_keeps_everything()
    {
        var path = Path.Combine(Store, "releases", "doc-signer", "1.0.json");
        var record = JsonNode.Parse(File.ReadAllText(path))!;
        record["logIndex"] = null;
        File.WriteAllText(path, record.ToJsonString());

        var report = await CollectAt(DateTimeOffset.UtcNow.AddDays(91), dryRun: true);

        Assert.Empty(report.Collected);
        Assert.Equal(["publish not finished"], Assert.Single(report.Kept, k => k.Version == "1.0").Reasons);
    }

    [Fact]
    public async Task A_target_a_completed_rollback_made_live_is_kept_as_running()
    {
        var runbook = Dir.Combine("runbook.yaml");
        File.WriteAllText(runbook, "name: gc-rollback\nsteps:\n  - id: deploy\n    uses: command\n    with: { run: 'true' }\n");
        var request = Approved();
        Assert.Equal(ExitCodes.Ok, Execute(request, runbook).ExitCode);

        var report = await CollectAt(DateTimeOffset.UtcNow.AddDays(91), dryRun: true);

        Assert.Empty(report.Collected);
        Assert.StartsWith("runs in prod since ", Assert.Single(report.Kept, k => k.Version == "1.0").Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deployment_signed_by_a_key_not_allowed_to_deploy_is_set_aside_and_ends_nothing()
    {
        Release("1.2", lodash: "4.17.21", signing: "Ed25519", migrations: true);
        var forged = await AppendDeploymentAsync("1.2", Keys["alice"]); // alice may request and approve, not deploy

        var report = await CollectAt(DateTimeOffset.UtcNow.AddDays(91), dryRun: true);

        Assert.Equal([$"log entry {forged} (deployment) not counted: key 'alice' may sign approval, review, rollback-request, not deployment"], report.SetAside);
        Assert.Contains(Assert.Single(report.Kept, k => k.Version == "1.1").Reasons, r => r.StartsWith("runs in prod since ", StringComparison.Ordinal));
        Assert.Equal(["doc-signer 1.0"], report.Collected);
    }

    [Theory]
    [InlineData("90")]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("2w")]
    [InlineData("soon")]
    public void A_retention_that_is_not_a_duration_is_refused_and_nothing_changes(string retain)
    {
        var blobs = Blobs();

        var refused = Run("gc", "--store", Store, "--keep", "1", "--retain", retain);

        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains("--retain", refused.Error, StringComparison.Ordinal);
        Assert.Equal(blobs, Blobs());
    }

    // A missing timestamp is named by its entry; a damaged line cannot say whose it was, so its file and line are named
    // (each entry here was timestamped in a batch of its own, so entry N is line N + 1).
    [Theory]
    [InlineData("", "log entry {0}, a deployment statement signed by 'ops', has no signed entry timestamp")]
    [InlineData("{\"time\":", "000.jsonl: line {1} is damaged")]
    public void A_deployment_whose_log_timestamp_is_missing_or_damaged_stops_gc_and_nothing_is_freed(string timestamp, string error)
    {
        var deployed = JsonDocument.Parse(Ok("deploy", "record", "--store", Store, "--env", "staging", "--app", "doc-signer", "--version", "1.1", "--key", Key("ops"), "--state", State, "--json").Out)
            .RootElement.GetProperty("logIndex").GetInt64();
        StoredTimestamps.Rewrite(Path.Combine(Store, "log"), deployed, _ => timestamp.Length == 0 ? null : timestamp);
        var blobs = Blobs();

        var refused = Run("gc", "--store", Store, "--keep", "1", "--retain", "1s");

        Assert.NotEqual(ExitCodes.Ok, refused.ExitCode);
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, error, deployed, deployed + 1), refused.Error, StringComparison.Ordinal);
        Assert.Equal(blobs, Blobs());
    }

    private async Task<GarbageReport> CollectAt(DateTimeOffset now, bool dryRun)
    {
        var collected = await GarbageCollector.CollectAsync(ReleaseStore.Open(Store).Value, new RetentionRules(1, TimeSpan.FromDays(90)), State, null, dryRun, new FixedClock(now));
        Assert.True(collected.IsOk, collected.IsOk ? "" : collected.Problem.Message);
        return collected.Value;
    }

    private int Blobs() => Directory.GetFiles(Path.Combine(Store, "artifacts", "sha256"), "*", SearchOption.AllDirectories).Length;

    // The versions whose release no longer verifies, with why: after a gc, a freed artifact.
    private string[] Unverifiable(params string[] versions) =>
        [.. versions.Select(v => (v, Run("release", "verify", "--store", Store, "--app", "doc-signer", "--version", v, "--state", State)))
            .Where(r => r.Item2.ExitCode != ExitCodes.Ok).Select(r => $"{r.v}: {r.Item2.Error.Trim()}")];

    private void ForgePublishedAt(string version, string publishedAt)
    {
        var path = Path.Combine(Store, "releases", "doc-signer", version + ".json");
        var record = JsonNode.Parse(File.ReadAllText(path))!;
        record["publishedAt"] = publishedAt;
        File.WriteAllText(path, record.ToJsonString());
    }
}
