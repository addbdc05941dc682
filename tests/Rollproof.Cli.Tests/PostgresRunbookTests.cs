using System.Globalization;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Snapshot and migrate-down against a real PostgreSQL server (a private cluster started for the test): pg_dump into
/// the store by digest, the current release's down script and the marker in one transaction, applied once; a down
/// script that fails changes nothing.
/// </summary>
public sealed class PostgresRunbookTests : GovernedStoreTests
{
    private readonly PostgresServer _postgres = new();

    protected override void Dispose(bool disposing)
    {
        _postgres.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void Snapshot_and_migrate_down_undo_1_1s_migration_once_in_one_transaction()
    {
        _postgres.Sql("CREATE DATABASE docs");
        _postgres.Sql("CREATE TABLE docs (id int, body text); ALTER TABLE docs ADD COLUMN sig text; INSERT INTO docs VALUES (1, 'contract', 'sig-by-1.1')", "docs");
        var request = Approved();

        var executed = Execute(request, Runbook(_postgres.Uri("docs")));
        var again = Run("rollback", "resume", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--key", Key("ops"), "--state", State);

        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error + executed.Out);
        Assert.Equal("id,body", _postgres.Sql("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'docs'", "docs"));
        Assert.Equal("1|contract", _postgres.Sql("SELECT * FROM docs", "docs"));
        Assert.Equal($"{request}|0002_signatures", _postgres.Sql("SELECT request, undone FROM _rollproof_rollbacks", "docs"));
        var snapshot = Evidence(request, "snapshot").GetProperty($"postgres:{_postgres.Uri("docs")}").GetString()!;
        var blob = Storage.Sha256Digest.Parse(snapshot).Value;
        Assert.StartsWith("PGDMP", File.ReadAllText(Path.Combine(Store, "artifacts", "sha256", blob.Hex[..2], blob.Hex))[..5], StringComparison.Ordinal);
        var report = new Ledger.StatementLedger(Releases.ReleaseStore.Open(Store).Value).Read<Runbooks.ReportPredicate>(long.Parse(Evidence(request, "report").GetProperty("report").GetString()!, CultureInfo.InvariantCulture), Ledger.StatementKinds.Report);
        Assert.Equal(snapshot, report.Value.Predicate.Snapshots[$"postgres:{_postgres.Uri("docs")}"]);
        Assert.Equal(
            [new Runbooks.TableRows($"postgres:{_postgres.Uri("docs")}", "public._rollproof_rollbacks", null, 1), new Runbooks.TableRows($"postgres:{_postgres.Uri("docs")}", "public.docs", 1, 1)],
            report.Value.Predicate.Rows);
        Assert.Equal(ExitCodes.InputError, again.ExitCode);
    }

    [Fact]
    public void A_failing_down_script_changes_nothing_and_the_step_can_run_again_once_fixed()
    {
        _postgres.Sql("CREATE DATABASE docs");
        _postgres.Sql("CREATE TABLE docs (id int, body text)", "docs"); // no sig column: 1.1's down script fails
        var request = Approved();

        var failed = Execute(request, Runbook(_postgres.Uri("docs")));

        Assert.Equal(ExitCodes.VerificationFailed, failed.ExitCode);
        Assert.Contains("a down script failed, and nothing was changed", failed.Out + failed.Error, StringComparison.Ordinal);
        Assert.Equal("", _postgres.Sql("SELECT request FROM _rollproof_rollbacks", "docs"));

        _postgres.Sql("ALTER TABLE docs ADD COLUMN sig text", "docs");
        var resumed = Run("rollback", "resume", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--key", Key("ops"), "--state", State);
        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Error);
        Assert.Equal("id,body", _postgres.Sql("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'docs'", "docs"));
    }

    private string Runbook(string uri)
    {
        var path = Dir.Combine("pg-runbook.yaml");
        File.WriteAllText(path, $"name: pg\nsteps:\n  - id: snapshot\n    uses: snapshot\n    with: {{ postgres: '{uri}' }}\n  - id: migrate-down\n    uses: migrate-down\n    with: {{ postgres: '{uri}' }}\n  - id: report\n    uses: report\n");
        return path;
    }

    private JsonElement Evidence(long request, string step) =>
        File.ReadAllLines(Path.Combine(Store, ".rollproof", "executions", request.ToString(CultureInfo.InvariantCulture), "journal.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Last(r => r.GetProperty("step").GetString() == step && r.GetProperty("event").GetString() == "completed")
            .GetProperty("evidence");
}
