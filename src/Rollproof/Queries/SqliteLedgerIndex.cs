using System.Globalization;
using Microsoft.Data.Sqlite;
using Rollproof.Ledger;
using Rollproof.Rollbacks;

namespace Rollproof.Queries;

/// <summary>
/// The ledger index in one SQLite file: a row per log entry (<c>events</c>) with the columns queries filter on, and a
/// row per file a release names (<c>files</c>). Derived data only: deleting the file and catching up rebuilds it.
/// </summary>
public sealed class SqliteLedgerIndex : ILedgerIndex
{
    private readonly SqliteConnection _connection;

    // Raised whenever the tables change: an index written by another version is dropped and made again from the log.
    private const int Schema = 2;

    public SqliteLedgerIndex(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using (var version = Command("PRAGMA user_version"))
            if ((long)version.ExecuteScalar()! != Schema)
                Execute($"DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS meta; PRAGMA user_version = {Schema};");
        Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS events (
                idx INTEGER PRIMARY KEY, kind TEXT NOT NULL, digest TEXT NOT NULL, app TEXT, env TEXT, version TEXT,
                refers INTEGER, signer_key TEXT, signer TEXT, logged_at INTEGER, summary TEXT NOT NULL,
                refers_digest TEXT, target INTEGER, outcome TEXT, step TEXT);
            CREATE INDEX IF NOT EXISTS events_app ON events (app, idx);
            CREATE INDEX IF NOT EXISTS events_signer ON events (signer, idx);
            CREATE INDEX IF NOT EXISTS events_deployments ON events (kind, env, app, idx);
            CREATE INDEX IF NOT EXISTS events_refers ON events (refers, kind);
            CREATE TABLE IF NOT EXISTS files (digest TEXT NOT NULL, idx INTEGER NOT NULL, file TEXT NOT NULL, artifact INTEGER NOT NULL, PRIMARY KEY (digest, idx, file));
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('indexed_size', 0);
            """);
        using var size = Command("SELECT value FROM meta WHERE key = 'indexed_size'");
        IndexedSize = (long)size.ExecuteScalar()!;
    }

    public long IndexedSize { get; private set; }

    public void Apply(IReadOnlyList<LedgerEntry> entries, long newSize)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var entry in entries)
        {
            var facts = Inherit(LedgerFacts.Of(entry), entry.Kind, transaction);
            using (var insert = Command(
                "INSERT OR REPLACE INTO events VALUES ($idx, $kind, $digest, $app, $env, $version, $refers, $signerKey, $signer, $loggedAt, $summary, $refersDigest, $target, $outcome, $step)",
                ("$idx", entry.Index), ("$kind", entry.Kind), ("$digest", entry.Digest), ("$app", facts.App), ("$env", facts.Environment),
                ("$version", facts.Version), ("$refers", facts.Refers), ("$signerKey", entry.SignerKeyId), ("$signer", entry.Signer),
                ("$loggedAt", entry.LoggedAt?.ToUnixTimeSeconds()), ("$summary", facts.Summary), ("$refersDigest", facts.RefersDigest),
                ("$target", facts.Target), ("$outcome", facts.Outcome), ("$step", facts.Step)))
            {
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
            }
            foreach (var (digest, file, artifact) in facts.Files)
            {
                using var row = Command("INSERT OR IGNORE INTO files VALUES ($digest, $idx, $file, $artifact)", ("$digest", digest), ("$idx", entry.Index), ("$file", file), ("$artifact", artifact));
                row.Transaction = transaction;
                row.ExecuteNonQuery();
            }
        }
        using (var meta = Command("UPDATE meta SET value = $size WHERE key = 'indexed_size'", ("$size", newSize)))
        {
            meta.Transaction = transaction;
            meta.ExecuteNonQuery();
        }
        transaction.Commit();
        IndexedSize = newSize;
    }

    // A statement about an earlier one (an approval, a review, an execution) belongs to the same app and environment,
    // if it names that entry by its digest; an execution also takes the version and release its request rolls back to.
    private LedgerFacts Inherit(LedgerFacts facts, string kind, SqliteTransaction transaction)
    {
        if (facts.App is not null || facts.Refers is not { } refers)
            return facts;
        using var query = Command("SELECT app, env, version, target, kind FROM events WHERE idx = $idx AND digest = coalesce($digest, digest)", ("$idx", refers), ("$digest", facts.RefersDigest));
        query.Transaction = transaction;
        using var reader = query.ExecuteReader();
        if (!reader.Read())
            return facts;
        var inherited = facts with { App = Text(reader, 0), Environment = facts.Environment ?? Text(reader, 1) };
        return kind == StatementKinds.Execution && reader.GetString(4) == StatementKinds.RollbackRequest
            ? inherited with { Version = Text(reader, 2), Target = reader.IsDBNull(3) ? null : reader.GetInt64(3) }
            : inherited;
    }

    public IReadOnlyList<Deployed> Environments()
    {
        // What the log last put in each place: a deployment, or the completed execution of a rollback (whose request
        // it names by digest). A report counts only if it names the same request by the same digest.
        using var query = Command("""
            WITH placed AS (
                SELECT * FROM events WHERE env IS NOT NULL AND app IS NOT NULL AND version IS NOT NULL AND target IS NOT NULL
                    AND (kind = 'deployment' OR (kind = 'execution' AND outcome = $completed))),
            latest AS (SELECT * FROM placed AS p WHERE idx = (SELECT MAX(idx) FROM placed WHERE env = p.env AND app = p.app))
            SELECT l.env, l.app, l.version, l.idx, l.logged_at, l.signer, l.kind, l.target, l.refers,
                (SELECT MAX(r.idx) FROM events AS r JOIN events AS q ON q.idx = r.refers AND q.digest = r.refers_digest
                    WHERE l.kind = 'execution' AND r.kind = 'report' AND r.refers = l.refers AND r.idx < l.idx),
                u.idx, u.refers, u.version, u.outcome, u.step, u.logged_at, u.signer
            FROM latest AS l
            LEFT JOIN events AS u ON u.idx = (SELECT MAX(idx) FROM events
                WHERE kind = 'execution' AND env = l.env AND app = l.app AND idx > l.idx AND version IS NOT NULL AND outcome IS NOT NULL AND outcome <> $completed)
            ORDER BY l.env, l.app
            """, ("$completed", CompletedRollback.Outcome));
        var rows = Read(query, r => new Deployed(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), Time(r, 4), Text(r, 5),
            r.GetString(6) == StatementKinds.Execution ? "rollback" : "deployment", r.GetInt64(7), [],
            r.GetString(6) == StatementKinds.Execution ? r.GetInt64(8) : null, r.IsDBNull(9) ? null : r.GetInt64(9),
            r.IsDBNull(10) ? null : new UnfinishedRollback(r.GetInt64(10), r.GetInt64(11), r.GetString(12), r.GetString(13), Text(r, 14), Time(r, 15), Text(r, 16))));
        return [.. rows.Select(d => d with { Artifacts = ArtifactsOf(d.Release) })];
    }

    private List<ReleaseArtifact> ArtifactsOf(long release)
    {
        using var query = Command("SELECT file, digest FROM files WHERE idx = $idx AND artifact = 1 ORDER BY file", ("$idx", release));
        return Read(query, r => new ReleaseArtifact(r.GetString(0), r.GetString(1)));
    }

    public IReadOnlyList<LedgerEvent> History(string app) => Events("WHERE app = $key ORDER BY idx", app);

    public IReadOnlyList<LedgerEvent> ActionsBy(string actor) => Events("WHERE signer = $key ORDER BY idx", actor);

    public IReadOnlyList<ReleaseHit> ReleasesContaining(string digest)
    {
        using var query = Command("""
            SELECT e.app, e.version, e.idx, f.file FROM files AS f JOIN events AS e ON e.idx = f.idx
            WHERE f.digest = $digest ORDER BY e.idx, f.file
            """, ("$digest", digest));
        return Read(query, r => new ReleaseHit(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetString(3)));
    }

    public void Dispose() => _connection.Dispose();

    private List<LedgerEvent> Events(string where, string key)
    {
        using var query = Command($"SELECT idx, kind, app, env, version, signer, logged_at, summary FROM events {where}", ("$key", key));
        return Read(query, r => new LedgerEvent(r.GetInt64(0), r.GetString(1), Text(r, 2), Text(r, 3), Text(r, 4), Text(r, 5), Time(r, 6), r.GetString(7)));
    }

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static DateTimeOffset? Time(SqliteDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(column));

    private static List<T> Read<T>(SqliteCommand query, Func<SqliteDataReader, T> row)
    {
        using var reader = query.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(row(reader));
        return rows;
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
