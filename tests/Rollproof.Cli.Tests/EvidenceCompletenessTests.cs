using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Cli.Infrastructure;
using Rollproof.Evidence;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Trust;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Attacks by whoever holds a package: statements removed with the unsigned manifest and summary written again to
/// match, an execution the policy never allowed, a log key used outside its window. Each must fail verification.
/// </summary>
public sealed class EvidenceCompletenessTests : GovernedStoreTests
{
    private string Trust => Path.Combine(Store, "trust.json");

    private string Runbook()
    {
        var path = Dir.Combine("runbook.yaml");
        File.WriteAllText(path, """
            name: test-rollback
            steps:
              - id: announce
                uses: command
                with:
                  run: echo "rolling back"
            """);
        return path;
    }

    [Fact]
    public async Task Removing_a_rejection_and_rewriting_the_manifest_and_summary_fails()
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();
        Assert.Equal(ExitCodes.Ok, Decide("approve", request, "carol").ExitCode);
        Assert.Equal(ExitCodes.Ok, Decide("reject", request, "dave").ExitCode);

        var verified = await VerifyWithoutAsync(request, e => LoggedPredicate.Of<ApprovalPredicate>(e.Statement, e.Entry.Kind) is { Decision: ApprovalDecision.Reject });

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains("is missing: a package holds every entry", verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_the_approvals_of_an_executed_rollback_and_rewriting_the_manifest_and_summary_fails()
    {
        var request = Approved();
        Assert.Equal(ExitCodes.Ok, Execute(request, Runbook()).ExitCode);

        var verified = await VerifyWithoutAsync(request, e => e.Entry.Kind == StatementKinds.Approval);

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains("is missing: a package holds every entry", verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_execution_the_policy_did_not_allow_fails_naming_the_rule()
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();
        Assert.Equal(ExitCodes.Ok, Decide("approve", request, "carol").ExitCode);
        await LogExecutionBehindThePolicysBackAsync(request);

        var package = Dir.Combine("evidence.zip");
        var export = Run("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", package);
        Assert.Equal(ExitCodes.VerificationFailed, export.ExitCode);
        WriteZip(package, EvidenceLayout.Files(await GatherAsync(request), "whatever the holder writes"));
        var verified = Run("evidence", "verify", package, "--trust", Trust);

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains("pending", verified.Error, StringComparison.Ordinal);
        Assert.Contains(PolicyEvaluator.Rules.DistinctApprovers, verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_execution_after_a_rejection_fails_naming_the_rule()
    {
        var request = Approved();
        Assert.Equal(ExitCodes.Ok, Decide("reject", request, "dave").ExitCode);
        await LogExecutionBehindThePolicysBackAsync(request);

        var package = Dir.Combine("evidence.zip");
        WriteZip(package, EvidenceLayout.Files(await GatherAsync(request), "whatever the holder writes"));
        var verified = Run("evidence", "verify", package, "--trust", Trust);

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains(PolicyEvaluator.Rules.NotRejected, verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_counted_statements_timestamp_and_rewriting_the_manifest_and_summary_fails()
    {
        var exported = await EvidenceExporter.ExportAsync(ReleaseStore.Open(Store).Value, Approved());
        Assert.True(exported.IsOk, exported.IsOk ? "" : exported.Problem.Message);
        var (package, chain) = exported.Value;
        var approval = package.Entries.First(e => e.Kind == StatementKinds.Approval);

        var path = Dir.Combine("evidence.zip");
        WriteZip(path, EvidenceLayout.Files(package with { Entries = [.. package.Entries.Select(e => e == approval ? e with { Timestamp = null } : e)] }, EvidenceSummary.Render(chain)));
        var verified = Run("evidence", "verify", path, "--trust", Trust);

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains($"{EvidenceLayout.EntryPath(approval.Index, approval.Kind, ".timestamp.json")}: log entry {approval.Index}", verified.Error, StringComparison.Ordinal);
        Assert.Contains("has no signed entry timestamp", verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_down_script_fails_as_a_risk_the_request_does_not_state()
    {
        var exported = await EvidenceExporter.ExportAsync(ReleaseStore.Open(Store).Value, Approved());
        Assert.True(exported.IsOk, exported.IsOk ? "" : exported.Problem.Message);
        var (package, chain) = exported.Value;
        // 1.1's down script, and the feed the request recorded: what the verifier computes the risk from.
        var down = Storage.Sha256Digest.Of(System.Text.Encoding.UTF8.GetBytes("ALTER TABLE docs DROP COLUMN sig;")).ToString();
        Assert.Contains(down, package.Blobs.Keys);
        Assert.Contains(chain.Predicate.VulnerabilityFeedDigest!, package.Blobs.Keys);

        var path = Dir.Combine("evidence.zip");
        WriteZip(path, EvidenceLayout.Files(package with { Blobs = package.Blobs.Where(b => b.Key != down).ToDictionary() }, EvidenceSummary.Render(chain)));
        var verified = Run("evidence", "verify", path, "--trust", Trust);

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains("the request is inconsistent with the risk", verified.Error, StringComparison.Ordinal);
        Assert.Contains(Rollbacks.Risk.RiskCodes.MigrationDownMissing, verified.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validUntil")]
    [InlineData("revokedAt")]
    public void A_log_key_outside_its_window_fails(string ends)
    {
        var request = Approved();
        var package = Dir.Combine("evidence.zip");
        Ok("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", package);
        var trust = JsonNode.Parse(File.ReadAllText(Trust))!;
        var logKey = trust["keys"]!.AsArray().Single(k => (string?)k!["name"] == "log")!;
        logKey["validFrom"] = "2020-01-01T00:00:00Z";
        logKey[ends] = "2021-01-01T00:00:00Z";
        File.WriteAllText(Dir.Combine("ended.json"), trust.ToJsonString());

        var verified = Run("evidence", "verify", package, "--trust", Dir.Combine("ended.json"));

        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains("log key", verified.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Statements_in_range_that_are_not_about_the_request_are_kept_and_named()
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();
        var other = Request("bob").GetProperty("logIndex").GetInt64();
        Assert.Equal(ExitCodes.Ok, Decide("approve", other, "carol").ExitCode);
        Assert.Equal(ExitCodes.Ok, Decide("approve", request, "dave").ExitCode);
        var package = Dir.Combine("evidence.zip");
        Ok("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", package);

        Assert.Equal(ExitCodes.Ok, Run("evidence", "verify", package, "--trust", Trust).ExitCode);
        using var zip = ZipFile.OpenRead(package);
        var summary = new StreamReader(zip.GetEntry(EvidenceLayout.SummaryPath)!.Open()).ReadToEnd();
        Assert.Contains($"log index {other}: rollback-request, not about this request", summary, StringComparison.Ordinal);
        Assert.Contains($"log index {other + 1}: approval, not about this request", summary, StringComparison.Ordinal);
        Assert.Contains("pending", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_by_a_key_the_trust_file_does_not_know_is_kept_but_never_counted()
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();
        var forged = await LogUntrustedApprovalAsync(request);
        Assert.Equal(ExitCodes.Ok, Decide("approve", request, "carol").ExitCode);
        var package = Dir.Combine("evidence.zip");
        Ok("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", package);

        var verified = Run("evidence", "verify", package, "--trust", Trust, "--json");

        Assert.Equal(ExitCodes.Ok, verified.ExitCode);
        Assert.Equal("pending", JsonDocument.Parse(verified.Out).RootElement.GetProperty("decision").GetString());
        using var zip = ZipFile.OpenRead(package);
        var summary = new StreamReader(zip.GetEntry(EvidenceLayout.SummaryPath)!.Open()).ReadToEnd();
        Assert.Contains($"log index {forged}: approval, not counted: signed by no key of the trust file", summary, StringComparison.Ordinal);
        Assert.Contains("distinct-approvers: not met, 1 of 2 distinct approver(s): carol", summary, StringComparison.Ordinal);
    }

    // Exports the honest package, then takes statements out and writes the manifest and summary again to match, as
    // anyone holding the package can: they are not signed.
    private async Task<CliRunner.Outcome> VerifyWithoutAsync(long request, Func<CheckedEntry, bool> removed)
    {
        var exported = await EvidenceExporter.ExportAsync(ReleaseStore.Open(Store).Value, request);
        Assert.True(exported.IsOk, exported.IsOk ? "" : exported.Problem.Message);
        var (package, chain) = exported.Value;
        var gone = chain.Entries.Where(removed).Select(e => e.Entry.Index).ToHashSet();
        Assert.NotEmpty(gone);
        var forged = package with { Entries = [.. package.Entries.Where(e => !gone.Contains(e.Index))] };
        var story = EvidenceSummary.Render(chain with { Entries = [.. chain.Entries.Where(e => !gone.Contains(e.Entry.Index))] });
        var path = Dir.Combine("forged.zip");
        WriteZip(path, EvidenceLayout.Files(forged, story));
        return Run("evidence", "verify", path, "--trust", Trust);
    }

    private async Task<EvidencePackage> GatherAsync(long request)
    {
        var gathered = await EvidenceExporter.GatherAsync(ReleaseStore.Open(Store).Value, request);
        Assert.True(gathered.IsOk, gathered.IsOk ? "" : gathered.Problem.Message);
        return gathered.Value;
    }

    // An operator's key logs an execution directly, as a tool that skips the executor's policy check would.
    private async Task LogExecutionBehindThePolicysBackAsync(long request)
    {
        var store = ReleaseStore.Open(Store).Value;
        var requestRef = new StatementRef(request, Storage.Sha256Digest.Of(LogEntry(request)).ToString());
        var runbook = await store.Artifacts.PutAsync(new MemoryStream("name: rogue\n"u8.ToArray()));
        var journal = await store.Artifacts.PutAsync(new MemoryStream("{}\n"u8.ToArray()));
        var execution = new ExecutionPredicate(requestRef, "rogue", runbook.ToString(), journal.ToString(), "completed", null, []);
        var logged = await new StatementLedger(store).AppendAsync(RequestStatement.About(requestRef, StatementKinds.Execution, execution), Keys["ops"], TimeProvider.System);
        Assert.True(logged.IsOk, logged.IsOk ? "" : logged.Problem.Message);
    }

    // A log accepts entries from anyone who can append; only the trust file decides what counts.
    private async Task<long> LogUntrustedApprovalAsync(long request)
    {
        var store = ReleaseStore.Open(Store).Value;
        var requestRef = new StatementRef(request, Storage.Sha256Digest.Of(LogEntry(request)).ToString());
        using var outsider = Signing.PrivateKey.Generate(Signing.KeyAlgorithm.EcdsaP256);
        var approval = RequestStatement.About(requestRef, StatementKinds.Approval, new ApprovalPredicate(requestRef, ApprovalDecision.Approve, [], null, "looks fine"));
        var opened = store.Log.OpenWriter(clock: TimeProvider.System);
        Assert.True(opened.IsOk);
        await using var writer = opened.Value;
        var (index, timestamp) = await writer.Writer.AppendWithTimestampAsync(approval.Sign(outsider).ToJson());
        store.Log.Timestamps.Keep(index, timestamp);
        return index;
    }

    private static void WriteZip(string path, IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        File.Delete(path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, bytes) in files)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }
    }
}
