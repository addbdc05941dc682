using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// PostgreSQL through its own client programs (psql, pg_dump, pg_restore from postgresql-client), given a connection
/// URI (<c>postgresql://user@host:port/db</c>; a password is better left to PGPASSWORD or ~/.pgpass). Arguments are
/// passed as a list, never through a shell, and a URI is shown without its password.
/// </summary>
internal static class Postgres
{
    private const int MaxCaptured = 4096;

    /// <summary>The URI with any password replaced, for journals, evidence and messages.</summary>
    public static string Redact(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.UserInfo.Contains(':', StringComparison.Ordinal)
            ? uri.Replace(parsed.UserInfo, parsed.UserInfo[..parsed.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal)
            : uri;

    /// <summary>Whether <see cref="Redact"/> hid a password in this URI, so it can no longer connect as it was.</summary>
    public static bool IsRedacted(string uri) => uri.Contains(":***@", StringComparison.Ordinal);

    public static bool IsUri(string text) => text.StartsWith("postgresql://", StringComparison.Ordinal) || text.StartsWith("postgres://", StringComparison.Ordinal);

    /// <summary>Runs a client program; null when it succeeded, else why not (its error output, passwords redacted).</summary>
    public static async Task<(string? Failure, string Output)> RunAsync(string program, IEnumerable<string> arguments, string uri, CancellationToken cancellation)
    {
        ProgramOutcome ran;
        try
        {
            ran = await ExternalProgram.RunAsync(program, arguments, Timeout.InfiniteTimeSpan, cancellation, environment: new Dictionary<string, string> { ["PGCONNECT_TIMEOUT"] = "10" });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ($"{program} is not installed (Debian: postgresql-client)", "");
        }
        var text = ran.Error.Replace(uri, Redact(uri), StringComparison.Ordinal).Trim();
        return (ran.ExitCode == 0 ? null : $"{program} exited with {ran.ExitCode}: {(text.Length <= MaxCaptured ? text : "…" + text[^MaxCaptured..])}", ran.Output);
    }
}
