using Microsoft.Data.Sqlite;
using Rollproof.Runbooks.Steps;
using Rollproof.Testing;

namespace Rollproof.Tests.Runbooks;

/// <summary>Exact row counts per table, as the snapshot records them and the report compares them.</summary>
public sealed class TableCountsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_table_of_a_sqlite_database_is_counted_even_with_an_awkward_name()
    {
        var database = _dir.Combine("app.db");
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE docs (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT); INSERT INTO docs (body) VALUES ('a'), ('b'), ('c'); "
                + "CREATE TABLE \"odd \"\"name\"\"\" (x);";
            create.ExecuteNonQuery();
        }

        var counts = TableCounts.Sqlite(database);

        Assert.True(counts.IsOk, counts.IsOk ? "" : counts.Problem.Message);
        Assert.Equal(new Dictionary<string, long> { ["docs"] = 3, ["odd \"name\""] = 0 }, counts.Value); // sqlite_sequence is SQLite's own
        Assert.Equal(counts.Value, TableCounts.Read(TableCounts.Write(counts.Value)));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_naming_it_and_bad_evidence_reads_as_nothing()
    {
        File.WriteAllText(_dir.Combine("not.db"), "this is not SQLite, but long enough to have a header of 100 bytes ................................................");

        var counts = TableCounts.Sqlite(_dir.Combine("not.db"));

        Assert.False(counts.IsOk);
        Assert.Contains("not.db", counts.Problem.Message, StringComparison.Ordinal);
        Assert.Null(TableCounts.Read("[1, 2]"));
    }
}
