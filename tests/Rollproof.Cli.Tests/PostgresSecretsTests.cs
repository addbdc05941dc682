using System.Globalization;
using System.Text;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A PostgreSQL password (the server here asks for it: scram-sha-256) is named by reference in the runbook and reaches
/// pg_dump and psql in their environment: it is in no program's command line (which anyone on the machine can read in
/// /proc), and in no file of the store or the evidence package. A client program that hangs (pg_dump waiting for a
/// lock) is stopped at the step's timeout.
/// </summary>
public sealed class PostgresSecretsTests : GovernedStoreTests
{
    private readonly string _password = $"pg-s3cr3t-{Guid.NewGuid():N}";
    private readonly PostgresServer _postgres;
    private readonly string _variable = $"ROLLPROOF_TEST_PG_{Guid.NewGuid():N}";

    public PostgresSecretsTests()
    {
        _postgres = new PostgresServer(_password);
        _postgres.Sql("CREATE DATABASE docs");
        _postgres.Sql("CREATE TABLE docs (id int, body text); ALTER TABLE docs ADD COLUMN sig text; INSERT INTO docs VALUES (1, 'contract', 'sig-by-1.1')", "docs");
        Environment.SetEnvironmentVariable(_variable, _password);
    }

    protected override void Dispose(bool disposing)
    {
        Environment.SetEnvironmentVariable(_variable, null);
        _postgres.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task The_password_reaches_pg_dump_in_its_environment_never_its_command_line_nor_any_stored_file()
    {
        var request = Approved();
        var runbook = Runbook($"password: 'env:{_variable}'");

        // A session holding the table makes pg_dump wait, so it can be seen running.
        var holder = HoldTable();
        var executing = Task.Run(() => Execute(request, runbook));
        var dump = await RunningAsync("pg_dump");
        var argv = ReadProc(dump, "cmdline");
        var environment = ReadProc(dump, "environ");
        Release(holder);
        var executed = await executing;
        var exported = Run("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", Dir.Combine("evidence.zip"));

        Assert.Contains(_postgres.Uri("docs"), argv, StringComparison.Ordinal);
        Assert.DoesNotContain(_password, argv, StringComparison.Ordinal);
        Assert.Contains($"\0PGPASSWORD={_password}\0", "\0" + environment, StringComparison.Ordinal);
        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error + executed.Out);
        Assert.Equal("id,body", _postgres.Sql("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'docs'", "docs"));
        var report = ReportOf(request);
        Assert.Contains(report.Rows!, r => r.Table == "public.docs" && r.Before == 1 && r.After == 1);
        Assert.Equal(ExitCodes.Ok, exported.ExitCode);
        Assert.Empty(SecretScan.Find(_password, Dir.Path));
    }

    [Fact]
    public async Task A_pg_dump_that_hangs_is_stopped_at_the_steps_timeout_and_the_step_fails_saying_so()
    {
        var request = Approved();
        var runbook = Runbook($"password: 'env:{_variable}', timeout: 2s");

        var holder = HoldTable();
        var executed = Execute(request, runbook);
        Release(holder);
        await holder;

        Assert.Equal(ExitCodes.VerificationFailed, executed.ExitCode);
        Assert.Contains("pg_dump did not finish within 00:00:02 and was stopped", executed.Out + executed.Error, StringComparison.Ordinal);
        Assert.Empty(Programs("pg_dump"));
    }

    private string Runbook(string settings)
    {
        var uri = _postgres.Uri("docs");
        var path = Dir.Combine("pg-runbook.yaml");
        File.WriteAllText(path, $"name: pg\nsteps:\n  - id: snapshot\n    uses: snapshot\n    with: {{ postgres: '{uri}', {settings} }}\n  - id: migrate-down\n    uses: migrate-down\n    with: {{ postgres: '{uri}', {settings} }}\n  - id: report\n    uses: report\n");
        return path;
    }

    // A psql session that locks the table until it is terminated; returns once the lock is held.
    private Task<ExternalProcess.Outcome> HoldTable()
    {
        var session = Task.Run(() => ExternalProcess.Run("psql", ["-X", "-q", "-d", _postgres.Uri("docs"), "-c", "BEGIN; LOCK TABLE docs IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);"],
            environment: new Dictionary<string, string> { ["PGPASSWORD"] = _password }));
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (_postgres.Sql("SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation = 'docs'::regclass AND granted", "docs") != "1")
            Assert.True(DateTime.UtcNow < deadline && !session.IsCompleted, "the table could not be locked");
        return session;
    }

    private void Release(Task<ExternalProcess.Outcome> holder) =>
        _postgres.Sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()", "docs");

    // The client program of this test's server (its port on the command line), once it runs.
    private async Task<int> RunningAsync(string program)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            if (Programs(program) is [var pid, ..])
                return pid;
            Assert.True(DateTime.UtcNow < deadline, $"{program} was not seen running");
            await Task.Delay(20);
        }
    }

    private List<int> Programs(string program) =>
        [.. Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0)
            .Where(pid => ReadProc(pid, "cmdline") is var argv && argv.Split('\0')[0].EndsWith(program, StringComparison.Ordinal) && argv.Contains($":{_postgres.Port}/", StringComparison.Ordinal))];

    private static string ReadProc(int pid, string file)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes($"/proc/{pid}/{file}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private Runbooks.ReportPredicate ReportOf(long request)
    {
        var record = File.ReadAllLines(Path.Combine(Store, ".rollproof", "executions", request.ToString(CultureInfo.InvariantCulture), "journal.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Last(r => r.GetProperty("step").GetString() == "report" && r.GetProperty("event").GetString() == "completed");
        var index = long.Parse(record.GetProperty("evidence").GetProperty("report").GetString()!, CultureInfo.InvariantCulture);
        return new Ledger.StatementLedger(Releases.ReleaseStore.Open(Store).Value).Read<Runbooks.ReportPredicate>(index, Ledger.StatementKinds.Report).Value.Predicate;
    }
}
