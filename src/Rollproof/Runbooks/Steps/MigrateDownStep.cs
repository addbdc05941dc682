using System.Text;
using Microsoft.Data.Sqlite;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Storage;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: migrate-down</c> with <c>sqlite: PATH</c> or <c>postgres: URI</c> (see <see cref="PostgresMigrations"/>): undoes the migrations the current release brought and the target
/// lacks, newest first, each with the down script whose digest the current release's signed statement gives (both
/// releases are the ones the request names, verified from the log right before; each script is hashed as read from
/// the artifact store, so a changed script is refused), all in one transaction together with a marker row, so the
/// step is applied once even if it runs again after a crash. An irreversible migration is refused, unless the policy allows restoring
/// a snapshot instead and <c>restore</c> names one (the digest of a database copy taken before that migration ran).
/// PostgreSQL's <c>password</c> (a reference) and <c>timeout</c> (each program's, default 10m): see <see cref="PostgresSession"/>.
/// </summary>
public sealed class MigrateDownStep : IRunbookStep
{
    private const int MaxScript = 16 << 20;

    public string Uses => "migrate-down";

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"undo the current release's migrations on {(parameters.TryGetValue("postgres", out var uri) ? "PostgreSQL " + Postgres.Redact(Templates.Apply(uri, context.Values)) : "SQLite " + Templates.Apply(parameters.GetValueOrDefault("sqlite", ""), context.Values))}, newest first, in one transaction";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (context.Rollback is not { } rollback)
            return StepOutcome.Failed("migrations are undone only as part of a rollback");
        var postgres = parameters.TryGetValue("postgres", out var uri) ? Templates.Apply(uri, context.Values) : null;
        var database = Templates.Apply(parameters.GetValueOrDefault("sqlite", ""), context.Values);
        if (postgres is not null && !Postgres.IsUri(postgres))
            return StepOutcome.Failed($"postgres '{Postgres.Redact(postgres)}' is not a postgresql:// connection URI");
        if (postgres is null && !File.Exists(database))
            return StepOutcome.Failed(database.Length == 0 ? "a migrate-down step needs the 'sqlite' database file or a 'postgres' URI" : $"SQLite database '{database}' does not exist");
        var session = PostgresSession.From(parameters);
        if (!session.IsOk)
            return StepOutcome.Failed(session.Problem.Message);
        var current = await rollback.Releases.CurrentAsync(cancellation);
        if (!current.IsOk)
            return StepOutcome.Failed($"the current release does not verify, so no down script runs: {current.Problem.Message} ({current.Problem.Code})");
        var target = await rollback.Releases.TargetAsync(cancellation);
        if (!target.IsOk)
            return StepOutcome.Failed($"the target release does not verify, so no down script runs: {target.Problem.Message} ({target.Problem.Code})");
        var kept = target.Value.Predicate.Migrations.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var undo = current.Value.Predicate.Migrations.Where(m => !kept.Contains(m.Id)).Reverse().ToList();
        if (undo.FirstOrDefault(m => m.DownDigest is null) is { } irreversible)
            return await RestoreAsync(parameters, rollback, postgres, session.Value, database, irreversible, context.WorkDirectory, cancellation);

        var scripts = new List<(Migration Migration, string Sql)>();
        foreach (var migration in undo)
        {
            var digest = Sha256Digest.Parse(migration.DownDigest!);
            var script = digest.IsOk ? await rollback.Store.Artifacts.ReadAllAsync(digest.Value, MaxScript, cancellation) : digest.Problem;
            if (!script.IsOk)
                return StepOutcome.Failed($"the down script of {migration.Id} cannot be used: {script.Problem.Message}");
            // Hashed here, whatever the artifact store checks: these are the bytes that run.
            if (Sha256Digest.Of(script.Value) != digest.Value)
                return StepOutcome.Failed($"the down script of {migration.Id} read from the artifact store hashes to {Sha256Digest.Of(script.Value)}, not {digest.Value} as the current release's signed statement says: nothing was run");
            scripts.Add((migration, Encoding.UTF8.GetString(script.Value)));
        }
        if (postgres is not null)
            return await PostgresMigrations.UndoAsync(postgres, session.Value, rollback.RequestIndex, scripts, context.WorkDirectory, cancellation);
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS _rollproof_rollbacks (request INTEGER PRIMARY KEY, undone TEXT NOT NULL)");
        using (var marker = connection.CreateCommand())
        {
            marker.CommandText = "SELECT undone FROM _rollproof_rollbacks WHERE request = $request";
            marker.Parameters.AddWithValue("$request", rollback.RequestIndex);
            if (marker.ExecuteScalar() is string done)
                return StepOutcome.Done($"migrations already undone for request {rollback.RequestIndex}: {done}", new Dictionary<string, string> { ["undone"] = done, ["database"] = database });
        }
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal) { ["database"] = database };
        using var transaction = connection.BeginTransaction();
        try
        {
            foreach (var (migration, sql) in scripts)
            {
                Execute(connection, transaction, sql);
                evidence[$"down:{migration.Id}"] = migration.DownDigest!;
            }
            var undone = string.Join(",", scripts.Select(s => s.Migration.Id));
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO _rollproof_rollbacks (request, undone) VALUES ($request, $undone)";
            record.Parameters.AddWithValue("$request", rollback.RequestIndex);
            record.Parameters.AddWithValue("$undone", undone);
            record.ExecuteNonQuery();
            transaction.Commit();
            evidence["undone"] = undone;
            return StepOutcome.Done(scripts.Count == 0 ? "no migration to undo" : $"undid {undone}", evidence);
        }
        catch (SqliteException e)
        {
            transaction.Rollback();
            return StepOutcome.Failed($"a down script failed, and nothing was changed: {e.Message}", evidence);
        }
    }

    private static async Task<StepOutcome> RestoreAsync(IReadOnlyDictionary<string, string> parameters, RollbackScope rollback, string? postgres, PostgresSession session, string database, Migration irreversible, string workDirectory, CancellationToken cancellation)
    {
        if (!rollback.Policy.Migrations.AllowSnapshotRestore)
            return StepOutcome.Failed($"migration {irreversible.Id} is irreversible, and the policy for {rollback.Policy.Environment} does not allow restoring a snapshot instead");
        if (!parameters.TryGetValue("restore", out var digestText) || Sha256Digest.Parse(digestText) is not { IsOk: true } digest)
            return StepOutcome.Failed($"migration {irreversible.Id} is irreversible: name the snapshot to restore instead with 'restore: sha256:…'");
        var snapshot = await rollback.Store.Artifacts.OpenAsync(digest.Value, cancellation);
        if (!snapshot.IsOk)
            return StepOutcome.Failed($"snapshot {digestText} cannot be restored: {snapshot.Problem.Message}");
        if (postgres is not null)
            await using (var dump = snapshot.Value)
                return await PostgresMigrations.RestoreAsync(postgres, session, dump, digestText, irreversible.Id, workDirectory, cancellation);
        var staged = database + ".restoring";
        await using (var source = snapshot.Value)
        await using (var file = new FileStream(staged, FileMode.Create, FileAccess.Write))
            await source.CopyToAsync(file, cancellation);
        SqliteConnection.ClearAllPools();
        File.Move(staged, database, overwrite: true);
        return StepOutcome.Done($"migration {irreversible.Id} is irreversible: restored the database from snapshot {digestText}, as the policy allows",
            new Dictionary<string, string> { ["database"] = database, ["restored"] = digestText });
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
