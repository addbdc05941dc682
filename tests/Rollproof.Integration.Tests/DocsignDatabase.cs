using Microsoft.Data.Sqlite;

namespace Rollproof.Integration.Tests;

/// <summary>Reads the docsign sample's SQLite database, as the tests check it after a rollback.</summary>
internal static class DocsignDatabase
{
    public static List<string> Migrations(string database) => Strings(database, "SELECT id FROM schema_migrations ORDER BY id");

    public static List<string> IdempotencyKeys(string database) => Strings(database, "SELECT idempotency_key FROM documents WHERE idempotency_key IS NOT NULL ORDER BY idempotency_key");

    /// <summary>Documents signed without an idempotency key: those the verification suite (docsign check) signed.</summary>
    public static int Unkeyed(string database) => Strings(database, "SELECT id FROM documents WHERE idempotency_key IS NULL").Count;

    private static List<string> Strings(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = sql;
        using var reader = query.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
            values.Add(reader.GetString(0));
        return values;
    }
}
