using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// The dedup index in SQLite: an integer-keyed B-tree on disk (64-bit hash prefix → index), so memory stays flat as
/// the log grows. Claims between commits share one transaction.
/// </summary>
public sealed class SqliteDedupIndex : IDedupIndex
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _find;
    private SqliteTransaction? _transaction;

    public SqliteDedupIndex(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA cache_size = -16000;
            CREATE TABLE IF NOT EXISTS dedup (prefix INTEGER PRIMARY KEY, idx INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('indexed_size', 0);
            """);
        IndexedSize = (long)Scalar("SELECT value FROM meta WHERE key = 'indexed_size'")!;
        _insert = Prepare("INSERT OR IGNORE INTO dedup (prefix, idx) VALUES ($prefix, $idx)", "$prefix", "$idx");
        _find = Prepare("SELECT idx FROM dedup WHERE prefix = $prefix", "$prefix");
    }

    public long IndexedSize { get; private set; }

    public long? Claim(ReadOnlySpan<byte> leafHash, long index)
    {
        var prefix = BinaryPrimitives.ReadInt64BigEndian(leafHash);
        _transaction ??= _connection.BeginTransaction();
        _insert.Transaction = _transaction;
        _insert.Parameters[0].Value = prefix;
        _insert.Parameters[1].Value = index;
        if (_insert.ExecuteNonQuery() == 1)
            return null;
        _find.Transaction = _transaction;
        _find.Parameters[0].Value = prefix;
        return (long)_find.ExecuteScalar()!;
    }

    public void Commit(long indexedSize)
    {
        _transaction ??= _connection.BeginTransaction();
        using (var meta = _connection.CreateCommand())
        {
            meta.Transaction = _transaction;
            meta.CommandText = "UPDATE meta SET value = $size WHERE key = 'indexed_size'";
            meta.Parameters.AddWithValue("$size", indexedSize);
            meta.ExecuteNonQuery();
        }
        _transaction.Commit();
        _transaction.Dispose();
        _transaction = null;
        IndexedSize = indexedSize;
    }

    public void Truncate(long size)
    {
        using (var delete = _connection.CreateCommand())
        {
            delete.Transaction = _transaction ??= _connection.BeginTransaction();
            delete.CommandText = "DELETE FROM dedup WHERE idx >= $size";
            delete.Parameters.AddWithValue("$size", size);
            delete.ExecuteNonQuery();
        }
        Commit(size);
    }

    public void Dispose()
    {
        _transaction?.Dispose();
        _insert.Dispose();
        _find.Dispose();
        _connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
            command.Parameters.Add(name, SqliteType.Integer);
        return command;
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
