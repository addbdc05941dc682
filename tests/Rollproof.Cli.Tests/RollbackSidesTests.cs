using System.Globalization;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Ledger;
using Rollproof.Runbooks;
using Rollproof.Signing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A rollback request's sides come from what the log says runs: after a completed rollback 1.1 → 1.0, 1.0 runs (a
/// request to it is refused as already running) and a request further back to 0.9 goes from 1.0, its risk comparing
/// 1.0 with 0.9, its evidence package holding the execution that put 1.0 there. An execution that does not count for
/// that (signed by a key not trusted for executions, by someone not an operator of the request's policy, naming
/// another request's digest, or not completed) changes neither side.
/// </summary>
public sealed class RollbackSidesTests : GovernedStoreTests
{
    protected override IReadOnlyList<string> DeployedBefore => ["0.9"];

    private string Gate => Dir.Combine("checks-pass");

    private static string N(long index) => index.ToString(CultureInfo.InvariantCulture);

    private static string Digest(string content) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));

    // A verify step that passes once the gate file exists.
    private string Runbook()
    {
        var path = Dir.Combine($"runbook-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"name: sides\nsteps:\n  - {{ id: verify, uses: command, with: {{ run: 'test -f {Gate}' }} }}\n");
        return path;
    }

    private CliRunner.Outcome RequestTo(string version) =>
        Run("rollback", "request", "--store", Store, "--env", "prod", "--to", version, "--reason", "critical-bug", "--rationale", "signatures stop verifying",
            "--ticket", "INC-4712", "--vulns", Dir.Combine("vulns"), "--key", Key("bob"), "--state", State, "--json");

    private JsonElement Filed(string version)
    {
        var filed = RequestTo(version);
        Assert.True(filed.ExitCode == ExitCodes.Ok, filed.Error);
        return JsonDocument.Parse(filed.Out).RootElement;
    }

    // A rollback of 1.1 to 1.0 whose execution failed at its verify step, and the request's reference.
    private (long Request, Trust.StatementRef Ref) FailedRollback()
    {
        var request = Approved();
        Assert.Equal(ExitCodes.VerificationFailed, Execute(request, Runbook()).ExitCode);
        return (request, new Trust.StatementRef(request, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(LogEntry(request)))));
    }

    private static ExecutionPredicate Completed(Trust.StatementRef request) => new(request, "sides", Digest("runbook"), Digest("journal"), "completed", null, []);

    // What runs is still 1.1: a request back to 1.0 is filed from it. Then the real run completes, and 1.0 runs.
    private void StillFromOneOneUntilTheRunCompletes(long request)
    {
        var filed = Filed("1.0");
        Assert.Equal(("1.1", "1.0"), (filed.GetProperty("current").GetString(), filed.GetProperty("target").GetString()));
        File.WriteAllText(Gate, "");
        Ok("rollback", "resume", N(request), "--store", Store, "--key", Key("ops"), "--state", State);
        var refused = RequestTo("1.0");
        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains("doc-signer 1.0 is what runs in prod already", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_execution_claiming_completion_signed_by_a_key_not_trusted_for_executions_or_by_a_non_operator_does_not_change_a_requests_current_side()
    {
        var (request, requestRef) = FailedRollback();
        using var mallory = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        File.WriteAllText(Dir.Combine("mallory.pub"), mallory.PublicKey.ToPem());
        Ok("trust", "add", "--store", Store, "--name", "mallory", "--public-key", Dir.Combine("mallory.pub"), "--kind", "execution", "--key", Key("root"));

        // carol may approve, not sign executions; mallory may sign executions, but is no operator of the request's policy.
        await AppendRawAsync(RequestStatement.About(requestRef, StatementKinds.Execution, Completed(requestRef)), Keys["carol"]);
        await AppendRawAsync(RequestStatement.About(requestRef, StatementKinds.Execution, Completed(requestRef)), mallory);

        StillFromOneOneUntilTheRunCompletes(request);
    }

    [Fact]
    public async Task A_failed_execution_or_one_naming_another_requests_digest_does_not_change_a_requests_current_side()
    {
        var (request, requestRef) = FailedRollback();

        // ops may sign executions, but this one names the request by another digest, in its subject and predicate.
        var elsewhere = requestRef with { Digest = Digest("another request") };
        await AppendRawAsync(RequestStatement.About(elsewhere, StatementKinds.Execution, Completed(elsewhere)), Keys["ops"]);

        StillFromOneOneUntilTheRunCompletes(request);
    }

    [Fact]
    public void After_a_completed_rollback_to_1_0_a_request_to_0_9_goes_from_1_0_its_risk_compares_1_0_with_0_9_and_its_evidence_verifies()
    {
        var first = Approved();
        File.WriteAllText(Gate, "");
        var executed = Execute(first, Runbook());
        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
        var execution = JsonDocument.Parse(executed.Out).RootElement.GetProperty("logIndex").GetInt64();

        var filed = Filed("0.9");

        Assert.Equal(("1.0", "0.9"), (filed.GetProperty("current").GetString(), filed.GetProperty("target").GetString()));
        // From 1.1, lodash would go back from 4.17.21 to 4.17.20 and signing from Ed25519; from 1.0, neither changes.
        Assert.Empty(filed.GetProperty("reintroducedVulnerabilities").EnumerateArray());
        Assert.DoesNotContain("Ed25519", filed.GetProperty("risk").GetRawText(), StringComparison.Ordinal);
        var second = filed.GetProperty("logIndex").GetInt64();
        var request = JsonDocument.Parse(Ok("query", "history", "doc-signer", "--store", Store, "--json").Out).RootElement.EnumerateArray().Single(e => e.GetProperty("logIndex").GetInt64() == second);
        Assert.Contains("1.0 to 0.9", request.GetProperty("summary").GetString(), StringComparison.Ordinal);
        foreach (var approver in new[] { "carol", "dave", "erin" })
            Assert.Equal(ExitCodes.Ok, Decide("approve", second, approver).ExitCode);
        Assert.Equal("approved", Status(second).GetProperty("status").GetString());
        Assert.Equal(ExitCodes.Ok, Execute(second, Runbook()).ExitCode);

        var package = Dir.Combine("second.zip");
        Ok("evidence", "export", N(second), "--store", Store, "-o", package);
        var verified = JsonDocument.Parse(Ok("evidence", "verify", package, "--trust", Path.Combine(Store, "trust.json"), "--json").Out).RootElement;
        Assert.Equal(("1.0", "0.9"), (verified.GetProperty("current").GetString(), verified.GetProperty("target").GetString()));
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        Assert.Contains(zip.Entries, e => e.FullName == $"entries/{execution:D8}-execution.dsse.json");
        Assert.Contains(zip.Entries, e => e.FullName == $"entries/{first:D8}-rollback-request.dsse.json");
    }

    [Fact]
    public async Task A_request_naming_a_failed_execution_as_what_runs_is_inconsistent_live_and_its_evidence_is_refused()
    {
        var (first, firstRef) = FailedRollback();
        var failed = new StatementLedger(Releases.ReleaseStore.Open(Store).Value).Referring<ExecutionPredicate>(firstRef, StatementKinds.Execution).Value.Single(e => e.Predicate.Outcome == "failed").Entry.Index;
        File.WriteAllText(Gate, "");
        Ok("rollback", "resume", N(first), "--store", Store, "--key", Key("ops"), "--state", State);
        var honest = Filed("0.9").GetProperty("logIndex").GetInt64();

        // alice may request; she signs the honest request again, naming the failed run as what put 1.0 in place.
        var failedRef = new Trust.StatementRef(failed, Storage.Sha256Digest.Of(LogEntry(failed)).ToString());
        var r = LedgerView.Open(Releases.ReleaseStore.Open(Store).Value).Value.Read<Rollbacks.RollbackRequestPredicate>(honest, StatementKinds.RollbackRequest).Value.Predicate;
        var forged = await AppendRawAsync(StatementAt(honest) with { Predicate = Formats.PredicateJson.Write(r with { Current = r.Current with { Deployment = failedRef } }) }, Keys["alice"]);

        var status = Run("rollback", "status", N(forged), "--store", Store, "--state", State);
        Assert.Equal(ExitCodes.VerificationFailed, status.ExitCode);
        Assert.Contains($"request {forged} is inconsistent with the log", status.Error, StringComparison.Ordinal);
        var export = Run("evidence", "export", N(forged), "--store", Store, "-o", Dir.Combine("forged.zip"));
        Assert.Equal(ExitCodes.VerificationFailed, export.ExitCode);
        Assert.Contains($"entries/{failed:D8}-execution.dsse.json: the request's current side names this execution, which put nothing in place: it did not complete (failed)", export.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Dir.Combine("forged.zip")));
        Ok("evidence", "export", N(honest), "--store", Store, "-o", Dir.Combine("honest.zip"));
    }
}
