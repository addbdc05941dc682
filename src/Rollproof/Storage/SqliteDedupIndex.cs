using Microsoft.Data.Sqlite;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>The dedup index in SQLite: one row per leaf hash, a B-tree on disk so memory stays flat as the log grows.</summary>
public sealed class SqliteDedupIndex : IDedupIndex
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _find;
    private readonly SqliteParameter _findHash;

    public SqliteDedupIndex(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA cache_size = -16000;
            CREATE TABLE IF NOT EXISTS dedup (hash BLOB PRIMARY KEY, idx INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('indexed_size', 0);
            """);
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT value FROM meta WHERE key = 'indexed_size'";
            IndexedSize = (long)read.ExecuteScalar()!;
        }
        _find = _connection.CreateCommand();
        _find.CommandText = "SELECT idx FROM dedup WHERE hash = $hash";
        _findHash = _find.Parameters.Add("$hash", SqliteType.Blob);
        _find.Prepare();
    }

    public long IndexedSize { get; private set; }

    public long? Find(ReadOnlySpan<byte> leafHash)
    {
        _findHash.Value = leafHash.ToArray();
        return _find.ExecuteScalar() is long index ? index : null;
    }

    public void Add(IReadOnlyList<(byte[] LeafHash, long Index)> entries, long indexedSize)
    {
        using var transaction = _connection.BeginTransaction();
        using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR REPLACE INTO dedup (hash, idx) VALUES ($hash, $idx)";
            var hash = insert.Parameters.Add("$hash", SqliteType.Blob);
            var idx = insert.Parameters.Add("$idx", SqliteType.Integer);
            insert.Prepare();
            foreach (var (leafHash, index) in entries)
            {
                hash.Value = leafHash;
                idx.Value = index;
                insert.ExecuteNonQuery();
            }
        }
        using (var meta = _connection.CreateCommand())
        {
            meta.Transaction = transaction;
            meta.CommandText = "UPDATE meta SET value = $size WHERE key = 'indexed_size'";
            meta.Parameters.AddWithValue("$size", indexedSize);
            meta.ExecuteNonQuery();
        }
        transaction.Commit();
        IndexedSize = indexedSize;
    }

    public void Truncate(long size)
    {
        using var transaction = _connection.BeginTransaction();
        using (var delete = _connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM dedup WHERE idx >= $size; UPDATE meta SET value = $size WHERE key = 'indexed_size'";
            delete.Parameters.AddWithValue("$size", size);
            delete.ExecuteNonQuery();
        }
        transaction.Commit();
        IndexedSize = size;
    }

    public void Dispose()
    {
        _find.Dispose();
        _connection.Dispose();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
