using Microsoft.Data.Sqlite;

namespace Rollproof.Cli.Tests;

/// <summary>Every row of every table of a store's index, in a fixed order, so two indexes compare as text.</summary>
public static class IndexDump
{
    public static string Of(string store)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(store, ".rollproof", "index.db")};Pooling=False");
        connection.Open();
        var text = new System.Text.StringBuilder();
        foreach (var table in new[] { "events ORDER BY idx", "files ORDER BY digest, idx, file", "meta ORDER BY key" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM " + table;
            using var reader = command.ExecuteReader();
            while (reader.Read())
                text.AppendLine(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : reader.GetValue(i).ToString())));
        }
        return text.ToString();
    }
}
