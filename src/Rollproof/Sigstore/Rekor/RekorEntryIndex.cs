using Microsoft.Data.Sqlite;
using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Sigstore.Rekor;

/// <summary>
/// Finds a Rekor entry's log index by its UUID (the leaf hash), in SQLite under the log's <c>.rollproof/rekor.db</c>.
/// It is derived from the log alone: each lookup first reads the entries logged since it last looked and indexes the
/// Rekor bodies among them, so it cannot fall behind whoever appended them; a rewound log truncates it, and deleting
/// the file rebuilds it. A hit is only a hint: <see cref="RekorLog"/> reads the entry and checks its hash.
/// </summary>
public sealed class RekorEntryIndex : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    public RekorEntryIndex(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS rekor (uuid BLOB PRIMARY KEY, idx INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            INSERT OR IGNORE INTO meta (key, value) VALUES ('indexed_size', 0);
            """);
    }

    public static RekorEntryIndex For(LogDirectory log) => new(log.StateFile("rekor.db"));

    /// <summary>The index of the Rekor entry with <paramref name="leafHash"/> in the tree of <paramref name="treeSize"/>, after indexing what it lacks.</summary>
    public Result<long?> Find(ILogStorage storage, ReadOnlySpan<byte> leafHash, long treeSize)
    {
        lock (_lock)
        {
            var caughtUp = CatchUp(storage, treeSize);
            if (caughtUp is not null)
                return caughtUp;
            using var find = Command("SELECT idx FROM rekor WHERE uuid = $uuid AND idx < $size");
            find.Parameters.AddWithValue("$uuid", leafHash.ToArray());
            find.Parameters.AddWithValue("$size", treeSize);
            return Result<long?>.Ok(find.ExecuteScalar() is long index ? index : null);
        }
    }

    /// <summary>Forgets everything, to be rebuilt from the log by the next lookup: for a hit the log contradicted.</summary>
    public void Reset()
    {
        lock (_lock)
            Execute("DELETE FROM rekor; UPDATE meta SET value = 0 WHERE key = 'indexed_size';");
    }

    public void Dispose() => _connection.Dispose();

    private Problem? CatchUp(ILogStorage storage, long treeSize)
    {
        using var transaction = _connection.BeginTransaction();
        using var meta = Command("SELECT value FROM meta WHERE key = 'indexed_size'", transaction);
        var indexed = (long)meta.ExecuteScalar()!;
        if (indexed > treeSize)
        {
            // The log was rewound (a repair): what lay beyond its new end is gone.
            using var forget = Command("DELETE FROM rekor WHERE idx >= $size", transaction);
            forget.Parameters.AddWithValue("$size", treeSize);
            forget.ExecuteNonQuery();
        }
        else if (indexed < treeSize)
        {
            using var insert = Command("INSERT OR IGNORE INTO rekor (uuid, idx) VALUES ($uuid, $idx)", transaction);
            foreach (var read in LogEntries.Range(storage, indexed, treeSize, treeSize))
            {
                if (!read.IsOk)
                    return read.Problem;
                if (!RekorBody.Is(read.Value.Entry.Span))
                    continue;
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$uuid", MerkleHasher.LeafHash(read.Value.Entry.Span));
                insert.Parameters.AddWithValue("$idx", read.Value.Index);
                insert.ExecuteNonQuery();
            }
        }
        if (indexed != treeSize)
        {
            using var advance = Command("UPDATE meta SET value = $size WHERE key = 'indexed_size'", transaction);
            advance.Parameters.AddWithValue("$size", treeSize);
            advance.ExecuteNonQuery();
        }
        transaction.Commit();
        return null;
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
