using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// The rows in each table of a database, counted exactly (<c>count(*)</c>), so the reconciliation report can set the
/// counts a snapshot saw beside those after the rollback. Kept in a step's evidence as a JSON object, table to count,
/// under <c>rows:sqlite:PATH</c> or <c>rows:postgres:URI</c> (the URI without its password).
/// </summary>
internal static class TableCounts
{
    public const string EvidencePrefix = "rows:";

    /// <summary>The tables of a SQLite database file (SQLite's own aside), read-only.</summary>
    public static Result<SortedDictionary<string, long>> Sqlite(string path)
    {
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                    tables.Add(reader.GetString(0));
            }
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var table in tables)
            {
                using var count = connection.CreateCommand();
                count.CommandText = $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
                counts[table] = (long)count.ExecuteScalar()!;
            }
            return Result<SortedDictionary<string, long>>.Ok(counts);
        }
        catch (SqliteException e)
        {
            return Result<SortedDictionary<string, long>>.Fail(ErrorCodes.StepFailed, $"the tables of SQLite database '{path}' could not be counted: {e.Message}");
        }
    }

    /// <summary>
    /// The base tables of a PostgreSQL database outside its system schemas, as <c>schema.table</c>, in one query over
    /// Npgsql (<see cref="PostgresConnection"/>).
    /// </summary>
    public static async Task<Result<SortedDictionary<string, long>>> PostgresAsync(string uri, PostgresSession session, CancellationToken cancellation)
    {
        // query_to_xml runs one count(*) per table inside the same statement, so one round trip counts them all.
        const string query = """
            SELECT table_schema || '.' || table_name, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint
            FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            """;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(session.Timeout);
        var opened = await PostgresConnection.OpenAsync(uri, session, timeout.Token);
        if (!opened.IsOk)
            return Result<SortedDictionary<string, long>>.Fail(ErrorCodes.StepFailed, $"the tables of PostgreSQL {Postgres.Redact(uri)} could not be counted: {opened.Problem.Message}");
        await using var connection = opened.Value;
        try
        {
            await using var command = new NpgsqlCommand(query, connection);
            await using var reader = await command.ExecuteReaderAsync(timeout.Token);
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(timeout.Token))
                counts[reader.GetString(0)] = reader.GetInt64(1);
            return Result<SortedDictionary<string, long>>.Ok(counts);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"did not finish within {session.Timeout}" : e.Message;
            return Result<SortedDictionary<string, long>>.Fail(ErrorCodes.StepFailed, $"the tables of PostgreSQL {Postgres.Redact(uri)} could not be counted: {why}");
        }
    }

    public static string Write(SortedDictionary<string, long> counts) => JsonSerializer.Serialize(counts);

    /// <summary>Counts written by <see cref="Write"/>, or null when the text is not such an object.</summary>
    public static SortedDictionary<string, long>? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SortedDictionary<string, long>>(json) is { } counts ? new SortedDictionary<string, long>(counts, StringComparer.Ordinal) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
