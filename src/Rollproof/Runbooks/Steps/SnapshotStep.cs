using System.Formats.Tar;
using Microsoft.Data.Sqlite;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// <c>uses: snapshot</c>: copies state before the rollback touches it, into the artifact store by SHA-256, and records
/// each digest as evidence (<c>sqlite:PATH</c>, <c>postgres:URI</c>, <c>dir:PATH</c>), with each database's rows per table
/// (<see cref="TableCounts"/>) for the report to compare with the counts after the rollback. <c>sqlite</c> lists database
/// files, copied with SQLite's online backup API, so the copy is consistent while the app still has it open;
/// <c>postgres</c> lists connection URIs, dumped with pg_dump (custom format, one consistent snapshot); <c>dirs</c> lists
/// directories, archived as tar with entries in name order and fixed times, so the same content gives the same digest.
/// Lists are comma-separated. PostgreSQL's <c>password</c> (a reference, for every URI) and <c>timeout</c> (each program's,
/// default 10m) are read by <see cref="PostgresSession"/>.
/// </summary>
public sealed class SnapshotStep : IRunbookStep
{
    private static readonly string[] Kinds = ["sqlite:", "postgres:", "dir:"];

    public string Uses => "snapshot";

    /// <summary>Whether a step's evidence entry names a snapshot (its value then being the copy's digest).</summary>
    public static bool IsSnapshot(string evidenceKey) => Kinds.Any(k => evidenceKey.StartsWith(k, StringComparison.Ordinal));

    public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        $"snapshot SQLite [{Templates.Apply(parameters.GetValueOrDefault("sqlite", ""), context.Values)}], PostgreSQL [{string.Join(",", List(parameters, "postgres", context).Select(Postgres.Redact))}] and directories [{Templates.Apply(parameters.GetValueOrDefault("dirs", ""), context.Values)}] into the artifact store";

    public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
    {
        if (context.Rollback is not { } rollback)
            return StepOutcome.Failed("a snapshot is kept in a store: it runs only as part of a rollback");
        var session = PostgresSession.From(parameters);
        if (!session.IsOk)
            return StepOutcome.Failed(session.Problem.Message);
        var evidence = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var database in List(parameters, "sqlite", context))
        {
            if (!File.Exists(database))
                return StepOutcome.Failed($"SQLite database '{database}' does not exist");
            var copy = Path.Combine(context.WorkDirectory, $"snapshot-{Guid.NewGuid():N}.db");
            try
            {
                using (var source = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False"))
                using (var target = new SqliteConnection($"Data Source={copy};Pooling=False"))
                {
                    source.Open();
                    target.Open();
                    // The app may be finishing a write: wait for its lock rather than fail at once.
                    using (var wait = source.CreateCommand())
                    {
                        wait.CommandText = "PRAGMA busy_timeout = 10000";
                        wait.ExecuteNonQuery();
                    }
                    source.BackupDatabase(target);
                }
                await using var stored = File.OpenRead(copy);
                evidence[$"sqlite:{database}"] = (await rollback.Store.Artifacts.PutAsync(stored, cancellation)).ToString();
                var rows = TableCounts.Sqlite(copy);
                if (!rows.IsOk)
                    return StepOutcome.Failed(rows.Problem.Message);
                evidence[$"{TableCounts.EvidencePrefix}sqlite:{database}"] = TableCounts.Write(rows.Value);
            }
            catch (SqliteException e)
            {
                return StepOutcome.Failed($"SQLite database '{database}' could not be copied: {e.Message}");
            }
            finally
            {
                File.Delete(copy);
            }
        }
        foreach (var uri in List(parameters, "postgres", context))
        {
            var dump = Path.Combine(context.WorkDirectory, $"snapshot-{Guid.NewGuid():N}.dump");
            try
            {
                var (failure, _) = await Postgres.RunAsync("pg_dump", ["--format=custom", "--file", dump, "-d", uri], uri, session.Value, cancellation);
                if (failure is not null)
                    return StepOutcome.Failed($"PostgreSQL {Postgres.Redact(uri)} could not be dumped: {failure}");
                await using var stored = File.OpenRead(dump);
                evidence[$"postgres:{Postgres.Redact(uri)}"] = (await rollback.Store.Artifacts.PutAsync(stored, cancellation)).ToString();
                var rows = await TableCounts.PostgresAsync(uri, session.Value, cancellation);
                if (!rows.IsOk)
                    return StepOutcome.Failed(rows.Problem.Message);
                evidence[$"{TableCounts.EvidencePrefix}postgres:{Postgres.Redact(uri)}"] = TableCounts.Write(rows.Value);
                // The reference, not the password: the report counts the rows again with it.
                if (session.Value.Password is { } password)
                    evidence[PostgresSession.EvidenceKey(uri)] = password.Text;
            }
            finally
            {
                File.Delete(dump);
            }
        }
        foreach (var directory in List(parameters, "dirs", context))
        {
            if (!Directory.Exists(directory))
                return StepOutcome.Failed($"directory '{directory}' does not exist");
            await using var archive = new FileStream(Path.Combine(context.WorkDirectory, $"snapshot-{Guid.NewGuid():N}.tar"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            await using (var tar = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
                foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    await using var content = File.OpenRead(file);
                    await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, Path.GetRelativePath(directory, file)) { ModificationTime = DateTimeOffset.UnixEpoch, DataStream = content }, cancellation);
                }
            archive.Position = 0;
            evidence[$"dir:{directory}"] = (await rollback.Store.Artifacts.PutAsync(archive, cancellation)).ToString();
        }
        var taken = evidence.Keys.Count(IsSnapshot);
        return taken == 0
            ? StepOutcome.Failed("a snapshot step names no 'sqlite' database, 'postgres' URI or 'dirs'")
            : StepOutcome.Done($"snapshot of {taken} item(s) stored by digest, the rows of each database table counted", evidence);
    }

    internal static IEnumerable<string> List(IReadOnlyDictionary<string, string> parameters, string key, StepContext context) =>
        Templates.Apply(parameters.GetValueOrDefault(key, ""), context.Values).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
