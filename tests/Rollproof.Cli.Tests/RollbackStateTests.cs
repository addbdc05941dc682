using System.Globalization;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// The ledger knows what happened: a completed rollback puts its target in place in <c>query environments</c>, a
/// failed one leaves what ran before and says where it failed, statements signed by keys not trusted for their kind
/// change nothing, and <c>rollback list</c> and <c>status</c> say where each request stands.
/// </summary>
public sealed class RollbackStateTests : GovernedStoreTests
{
    private string Gate => Dir.Combine("checks-pass");

    private static string Digest(string content) => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));

    // announce, a verify that passes once the gate file exists, and the reconciliation report.
    private string Runbook()
    {
        var path = Dir.Combine($"runbook-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"name: state\nsteps:\n  - {{ id: announce, uses: command, with: {{ run: 'true' }} }}\n  - {{ id: verify, uses: command, with: {{ run: 'test -f {Gate}' }} }}\n  - {{ id: report, uses: report }}\n");
        return path;
    }

    private JsonElement Prod() =>
        Assert.Single(JsonDocument.Parse(Ok("query", "environments", "--store", Store, "--json").Out).RootElement.EnumerateArray(), e => e.GetProperty("environment").GetString() == "prod");

    private JsonElement Progress(long request) =>
        JsonDocument.Parse(Ok("rollback", "status", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--state", State, "--json").Out).RootElement.GetProperty("progress");

    // Null members are left out of the JSON.
    private static bool Absent(JsonElement element, string name) => !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    private static long LogIndex(CliRunner.Outcome executed) => JsonDocument.Parse(executed.Out).RootElement.GetProperty("logIndex").GetInt64();

    private string ExecutionDir(long request) => Path.Combine(Store, ".rollproof", "executions", request.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public void A_completed_rollback_shows_its_target_running_with_the_execution_and_report_that_put_it_there()
    {
        var request = Approved();
        Assert.Equal("approved", Progress(request).GetProperty("state").GetString());
        File.WriteAllText(Gate, "");

        var executed = Execute(request, Runbook());

        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
        var prod = Prod();
        Assert.Equal("1.0", prod.GetProperty("version").GetString());
        Assert.Equal("rollback", prod.GetProperty("via").GetString());
        Assert.Equal(LogIndex(executed), prod.GetProperty("logIndex").GetInt64());
        Assert.Equal(request, prod.GetProperty("request").GetInt64());
        Assert.Equal(Digest("doc-signer 1.0"), prod.GetProperty("artifacts")[0].GetProperty("digest").GetString());
        Assert.Equal("ops", prod.GetProperty("by").GetString());
        Assert.True(Absent(prod, "unfinished"));
        var report = JsonDocument.Parse(Ok("query", "history", "doc-signer", "--store", Store, "--json").Out).RootElement.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "report");
        Assert.Equal(report.GetProperty("logIndex").GetInt64(), prod.GetProperty("report").GetInt64());
        Assert.Contains($"1.0          {Digest("doc-signer 1.0")} since", Ok("query", "environments", "--store", Store).Out, StringComparison.Ordinal);

        var progress = Progress(request);
        Assert.Equal("completed", progress.GetProperty("state").GetString());
        Assert.Equal("log", progress.GetProperty("source").GetString());
        Assert.Equal(LogIndex(executed), progress.GetProperty("execution").GetInt64());
        Assert.Equal(3, progress.GetProperty("approvals").GetProperty("counted").GetInt32());
        Assert.Equal(2, progress.GetProperty("approvals").GetProperty("required").GetInt32());
        foreach (var time in new[] { "requestedAt", "approvedAt", "startedAt", "finishedAt" })
            Assert.Equal(JsonValueKind.String, progress.GetProperty(time).ValueKind);
        var listed = JsonDocument.Parse(Ok("rollback", "list", "--store", Store, "--state", State, "--json").Out).RootElement;
        Assert.Equal("completed", Assert.Single(listed.EnumerateArray()).GetProperty("progress").GetProperty("state").GetString());

        var live = IndexDump.Of(Store);
        Ok("index", "rebuild", "--store", Store);
        Assert.Equal(live, IndexDump.Of(Store));
    }

    [Fact]
    public void A_failed_rollback_leaves_what_ran_before_and_says_at_which_step_until_it_is_resumed()
    {
        var request = Approved();

        var failed = Execute(request, Runbook());

        Assert.Equal(ExitCodes.VerificationFailed, failed.ExitCode);
        var prod = Prod();
        Assert.Equal("1.1", prod.GetProperty("version").GetString());
        Assert.Equal("deployment", prod.GetProperty("via").GetString());
        var unfinished = prod.GetProperty("unfinished");
        Assert.Equal(("failed", "verify", "1.0", request), (unfinished.GetProperty("outcome").GetString(), unfinished.GetProperty("step").GetString(), unfinished.GetProperty("targetVersion").GetString(), unfinished.GetProperty("request").GetInt64()));
        Assert.Contains($"rollback to 1.0 failed at step verify (request {request}", Ok("query", "environments", "--store", Store).Out, StringComparison.Ordinal);
        var progress = Progress(request);
        Assert.Equal("failed", progress.GetProperty("state").GetString());
        Assert.Equal(("verify", 2, 3), (progress.GetProperty("step").GetProperty("id").GetString(), progress.GetProperty("step").GetProperty("number").GetInt32(), progress.GetProperty("step").GetProperty("of").GetInt32()));
        Assert.Contains("failed at step 2 of 3 (verify)", Ok("rollback", "list", "--store", Store, "--state", State).Out, StringComparison.Ordinal);

        File.WriteAllText(Gate, "");
        Ok("rollback", "resume", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--key", Key("ops"), "--state", State);

        prod = Prod();
        Assert.Equal(("1.0", "rollback"), (prod.GetProperty("version").GetString(), prod.GetProperty("via").GetString()));
        Assert.True(Absent(prod, "unfinished"));
        Assert.Equal("completed", Progress(request).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_report_or_execution_signed_by_a_key_not_trusted_for_its_kind_or_naming_another_entry_does_not_change_what_runs()
    {
        var request = Approved();
        Assert.Equal(ExitCodes.VerificationFailed, Execute(request, Runbook()).ExitCode);
        var requestRef = new Trust.StatementRef(request, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(LogEntry(request))));
        var report = new ReportPredicate(requestRef, "doc-signer", "prod", "1.1", "1.0", new Dictionary<string, string>(), [], new Dictionary<string, string>(), ["carol", "dave", "erin"]);
        var completed = new ExecutionPredicate(requestRef, "state", Digest("runbook"), Digest("journal"), "completed", null, []);
        var elsewhere = completed with { Request = requestRef with { Digest = Digest("another request") } };

        // carol may approve, not sign reports or executions; ops may sign executions, but this one names the request by another digest.
        await AppendRawAsync(RequestStatement.About(requestRef, Ledger.StatementKinds.Report, report), Keys["carol"]);
        await AppendRawAsync(RequestStatement.About(requestRef, Ledger.StatementKinds.Execution, completed), Keys["carol"]);
        await AppendRawAsync(RequestStatement.About(requestRef, Ledger.StatementKinds.Execution, elsewhere), Keys["ops"]);

        var prod = Prod();
        Assert.Equal(("1.1", "deployment"), (prod.GetProperty("version").GetString(), prod.GetProperty("via").GetString()));
        Assert.Equal("failed", prod.GetProperty("unfinished").GetProperty("outcome").GetString());
        Assert.True(Absent(prod, "report"));
    }

    [Fact]
    public void A_run_the_log_has_not_heard_the_end_of_is_read_from_the_journal_executing_while_its_process_lives()
    {
        var request = Approved();
        var dir = ExecutionDir(request);
        Directory.CreateDirectory(dir);
        File.Copy(Runbook(), Path.Combine(dir, "runbook.yaml"));
        var journal = new ExecutionJournal(Path.Combine(dir, "journal.jsonl"));
        journal.Append(new JournalRecord("announce", StepEvent.Started, DateTimeOffset.UtcNow, null, null));
        journal.Append(new JournalRecord("announce", StepEvent.Completed, DateTimeOffset.UtcNow, "done", null));
        journal.Append(new JournalRecord("verify", StepEvent.Started, DateTimeOffset.UtcNow, null, null));

        var stopped = Progress(request);
        var text = Ok("rollback", "status", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--state", State).Out;
        var environmentLock = new EnvironmentLock(Path.Combine(Store, ".rollproof", "locks"), "prod");
        JsonElement running;
        using (environmentLock.Acquire(request.ToString(CultureInfo.InvariantCulture), TimeProvider.System).Value)
            running = Progress(request);

        Assert.Equal(("interrupted", "journal"), (stopped.GetProperty("state").GetString(), stopped.GetProperty("source").GetString()));
        Assert.Equal(JsonValueKind.String, stopped.GetProperty("finishedAt").ValueKind);
        Assert.Equal(("executing", "verify", 2, 3), (running.GetProperty("state").GetString(), running.GetProperty("step").GetProperty("id").GetString(), running.GetProperty("step").GetProperty("number").GetInt32(), running.GetProperty("step").GetProperty("of").GetInt32()));
        Assert.True(Absent(running, "finishedAt"));
        Assert.Contains("state: interrupted at step 2 of 3 (verify)", text, StringComparison.Ordinal);
        Assert.Contains("from the execution journal, which is not signed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_written_by_an_older_version_is_made_again_from_the_log()
    {
        var request = Approved();
        File.WriteAllText(Gate, "");
        Assert.Equal(ExitCodes.Ok, Execute(request, Runbook()).ExitCode);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Store, ".rollproof", "index.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET outcome = NULL, target = NULL; PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
        }

        Assert.Equal("1.0", Prod().GetProperty("version").GetString());
    }
}
