using Npgsql;
using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// Opens a connection through Npgsql for what Rollproof reads itself (row counts), where a <c>psql</c> child and
/// parsing its text would add nothing. The connection string is built from the step's URI (Npgsql takes no URIs) and
/// its password reference, resolved for each connection and held only in the connection string: never on a command
/// line, never in a message. Connecting gives up after 10 s (as PGCONNECT_TIMEOUT does for the client programs) and
/// every command after the step's timeout.
/// </summary>
internal static class PostgresConnection
{
    private const int ConnectSeconds = 10;

    public static async Task<Result<NpgsqlConnection>> OpenAsync(string uri, PostgresSession session, CancellationToken cancellation)
    {
        var settings = Settings(uri, session);
        if (!settings.IsOk)
            return settings.Problem;
        var connection = new NpgsqlConnection(settings.Value.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellation);
            return Result<NpgsqlConnection>.Ok(connection);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            return Result<NpgsqlConnection>.Fail(ErrorCodes.StepFailed, $"cannot connect to PostgreSQL {Postgres.Redact(uri)}: {e.Message}");
        }
    }

    /// <summary>The URI's host, port, user, database and the libpq parameters Rollproof knows (sslmode, connect_timeout, application_name, host).</summary>
    internal static Result<NpgsqlConnectionStringBuilder> Settings(string uri, PostgresSession session)
    {
        if (!Postgres.IsUri(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            return Fail($"'{Postgres.Redact(uri)}' is not a postgresql:// URI");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.DnsSafeHost,
            Port = parsed.IsDefaultPort || parsed.Port < 0 ? 5432 : parsed.Port,
            Database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/')),
            Timeout = ConnectSeconds,
            CommandTimeout = (int)Math.Min(int.MaxValue, Math.Ceiling(session.Timeout.TotalSeconds)),
            Pooling = false,
        };
        if (parsed.UserInfo.Length > 0)
            builder.Username = Uri.UnescapeDataString(parsed.UserInfo.Split(':')[0]);
        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0
                ? (Uri.UnescapeDataString(pair[..eq]), Uri.UnescapeDataString(pair[(eq + 1)..]))
                : (Uri.UnescapeDataString(pair), "");
            var problem = Apply(builder, name, value);
            if (problem is not null)
                return Fail($"{Postgres.Redact(uri)}: {problem}");
        }
        if (session.Password is { } reference)
        {
            var password = reference.Resolve();
            if (!password.IsOk)
                return Fail($"the password cannot be read: {password.Problem.Message}");
            builder.Password = password.Value;
        }
        return Result<NpgsqlConnectionStringBuilder>.Ok(builder);
    }

    private static string? Apply(NpgsqlConnectionStringBuilder builder, string name, string value)
    {
        switch (name)
        {
            case "sslmode" when Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode):
                builder.SslMode = mode;
                return null;
            case "connect_timeout" when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds):
                builder.Timeout = seconds;
                return null;
            case "application_name":
                builder.ApplicationName = value;
                return null;
            case "host" when value.Length > 0:
                builder.Host = value;
                return null;
            default:
                return $"the URI parameter '{name}={value}' is not one Rollproof passes to PostgreSQL (sslmode, connect_timeout, application_name, host)";
        }
    }

    private static Result<NpgsqlConnectionStringBuilder> Fail(string message) => Result<NpgsqlConnectionStringBuilder>.Fail(ErrorCodes.StepFailed, message);
}
