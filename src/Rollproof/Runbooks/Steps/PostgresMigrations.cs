using System.Globalization;
using System.Text;
using Rollproof.Releases;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// Down migrations on PostgreSQL: the scripts and the marker row recording the request run as one psql session in a
/// single transaction with ON_ERROR_STOP, so they apply together or not at all (PostgreSQL's DDL is transactional);
/// a marker already present means an earlier run committed, and nothing runs again. Scripts must not open or close
/// transactions of their own.
/// </summary>
internal static class PostgresMigrations
{
    private static readonly string[] Quiet = ["-X", "-q", "-v", "ON_ERROR_STOP=1"];

    public static async Task<StepOutcome> UndoAsync(string uri, PostgresSession session, long request, IReadOnlyList<(Migration Migration, string Sql)> scripts, string workDirectory, CancellationToken cancellation)
    {
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal) { ["postgres"] = Postgres.Redact(uri) };
        var (failure, done) = await Postgres.RunAsync("psql", [.. Quiet, "-A", "-t", "-d", uri, "-c",
            "CREATE TABLE IF NOT EXISTS _rollproof_rollbacks (request bigint PRIMARY KEY, undone text NOT NULL)",
            "-c", $"SELECT undone FROM _rollproof_rollbacks WHERE request = {request.ToString(CultureInfo.InvariantCulture)}"], uri, session, cancellation);
        if (failure is not null)
            return StepOutcome.Failed($"PostgreSQL {Postgres.Redact(uri)} cannot be used: {failure}", evidence);
        if (done.Trim() is { Length: > 0 } undoneBefore)
            return StepOutcome.Done($"migrations already undone for request {request}: {undoneBefore}", new Dictionary<string, string>(evidence) { ["undone"] = undoneBefore });

        var undone = string.Join(",", scripts.Select(s => s.Migration.Id));
        var script = new StringBuilder();
        foreach (var (migration, sql) in scripts)
        {
            script.Append("-- down: ").AppendLine(migration.Id).AppendLine(sql.TrimEnd()).AppendLine(";");
            evidence[$"down:{migration.Id}"] = migration.DownDigest!;
        }
        script.Append(CultureInfo.InvariantCulture, $"INSERT INTO _rollproof_rollbacks (request, undone) VALUES ({request}, '{undone.Replace("'", "''", StringComparison.Ordinal)}');").AppendLine();
        var file = Path.Combine(workDirectory, $"migrate-down-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(file, script.ToString(), cancellation);
        try
        {
            (failure, _) = await Postgres.RunAsync("psql", [.. Quiet, "--single-transaction", "-d", uri, "-f", file], uri, session, cancellation);
        }
        finally
        {
            File.Delete(file);
        }
        if (failure is not null)
            return StepOutcome.Failed($"a down script failed, and nothing was changed: {failure}", evidence);
        evidence["undone"] = undone;
        return StepOutcome.Done(scripts.Count == 0 ? "no migration to undo" : $"undid {undone}", evidence);
    }

    /// <summary>Restores a pg_dump (custom format) snapshot over the database, in one transaction.</summary>
    public static async Task<StepOutcome> RestoreAsync(string uri, PostgresSession session, Stream snapshot, string digest, string migration, string workDirectory, CancellationToken cancellation)
    {
        var file = Path.Combine(workDirectory, $"restore-{Guid.NewGuid():N}.dump");
        try
        {
            await using (var copy = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
                await snapshot.CopyToAsync(copy, cancellation);
            var (failure, _) = await Postgres.RunAsync("pg_restore", ["--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner", "-d", uri, file], uri, session, cancellation);
            return failure is null
                ? StepOutcome.Done($"migration {migration} is irreversible: restored the database from snapshot {digest}, as the policy allows", new Dictionary<string, string> { ["postgres"] = Postgres.Redact(uri), ["restored"] = digest })
                : StepOutcome.Failed($"restoring snapshot {digest} failed, and nothing was changed: {failure}");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
