using System.Globalization;
using Microsoft.Data.Sqlite;
using Rollproof.Ledger;

namespace Rollproof.Queries;

/// <summary>
/// The ledger index in one SQLite file: a row per log entry (<c>events</c>) with the columns queries filter on, and a
/// row per file a release names (<c>files</c>). Derived data only: deleting the file and catching up rebuilds it.
/// </summary>
public sealed class SqliteLedgerIndex : ILedgerIndex
{
    private readonly SqliteConnection _connection;

    public SqliteLedgerIndex(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS events (
                idx INTEGER PRIMARY KEY, kind TEXT NOT NULL, digest TEXT NOT NULL, app TEXT, env TEXT, version TEXT,
                refers INTEGER, signer_key TEXT, signer TEXT, logged_at INTEGER, summary TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS events_app ON events (app, idx);
            CREATE INDEX IF NOT EXISTS events_signer ON events (signer, idx);
            CREATE INDEX IF NOT EXISTS events_deployments ON events (kind, env, app, idx);
            CREATE INDEX IF NOT EXISTS events_refers ON events (refers, kind);
            CREATE TABLE IF NOT EXISTS files (digest TEXT NOT NULL, idx INTEGER NOT NULL, file TEXT NOT NULL, PRIMARY KEY (digest, idx, file));
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
            var facts = Inherit(LedgerFacts.Of(entry), transaction);
            using (var insert = Command(
                "INSERT OR REPLACE INTO events VALUES ($idx, $kind, $digest, $app, $env, $version, $refers, $signerKey, $signer, $loggedAt, $summary)",
                ("$idx", entry.Index), ("$kind", entry.Kind), ("$digest", entry.Digest), ("$app", facts.App), ("$env", facts.Environment),
                ("$version", facts.Version), ("$refers", facts.Refers), ("$signerKey", entry.SignerKeyId), ("$signer", entry.Signer),
                ("$loggedAt", entry.LoggedAt?.ToUnixTimeSeconds()), ("$summary", facts.Summary)))
            {
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
            }
            foreach (var (digest, file) in facts.Files)
            {
                using var row = Command("INSERT OR IGNORE INTO files VALUES ($digest, $idx, $file)", ("$digest", digest), ("$idx", entry.Index), ("$file", file));
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

    // A statement about an earlier one (an approval, a review, an execution) belongs to the same app and environment.
    private LedgerFacts Inherit(LedgerFacts facts, SqliteTransaction transaction)
    {
        if (facts.App is not null || facts.Refers is not { } refers)
            return facts;
        using var query = Command("SELECT app, env FROM events WHERE idx = $idx", ("$idx", refers));
        query.Transaction = transaction;
        using var reader = query.ExecuteReader();
        return reader.Read() ? facts with { App = Text(reader, 0), Environment = facts.Environment ?? Text(reader, 1) } : facts;
    }

    public IReadOnlyList<Deployed> Environments()
    {
        using var query = Command("""
            SELECT env, app, version, idx, logged_at, signer FROM events AS d
            WHERE kind = 'deployment' AND idx = (SELECT MAX(idx) FROM events WHERE kind = 'deployment' AND env = d.env AND app = d.app)
            ORDER BY env, app
            """);
        return Read(query, r => new Deployed(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), Time(r, 4), Text(r, 5)));
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
