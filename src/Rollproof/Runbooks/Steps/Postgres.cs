using System.Diagnostics;
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

    public static bool IsUri(string text) => text.StartsWith("postgresql://", StringComparison.Ordinal) || text.StartsWith("postgres://", StringComparison.Ordinal);

    /// <summary>Runs a client program; null when it succeeded, else why not (its error output, passwords redacted).</summary>
    public static async Task<(string? Failure, string Output)> RunAsync(string program, IEnumerable<string> arguments, string uri, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["PGCONNECT_TIMEOUT"] = "10";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ($"{program} is not installed (Debian: postgresql-client)", "");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellation);
            var error = process.StandardError.ReadToEndAsync(cancellation);
            await process.WaitForExitAsync(cancellation);
            var text = (await error).Replace(uri, Redact(uri), StringComparison.Ordinal).Trim();
            return (process.ExitCode == 0 ? null : $"{program} exited with {process.ExitCode}: {(text.Length <= MaxCaptured ? text : "…" + text[^MaxCaptured..])}", await output);
        }
    }
}
