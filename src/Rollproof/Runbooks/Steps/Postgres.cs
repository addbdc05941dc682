using Rollproof.Common;

namespace Rollproof.Runbooks.Steps;

/// <summary>
/// PostgreSQL through its own client programs (psql, pg_dump, pg_restore from postgresql-client; row counts go over
/// Npgsql instead, <see cref="PostgresConnection"/>), given a connection
/// URI (<c>postgresql://user@host:port/db</c>) without a password: a password is a step's <c>password</c> reference,
/// handed to each program in its environment (PGPASSWORD), never on its command line, which every user of the machine
/// can read in /proc. Arguments are passed as a list, never through a shell; a program never prompts (<c>-w</c>) and
/// runs within the step's <c>timeout</c>, its process group killed when the time is up.
/// </summary>
internal static class Postgres
{
    private const int MaxShown = 4096;

    // Output may be parsed (the migrations applied): it must arrive whole, so the bound is generous and a cut is a failure.
    private const int MaxOutput = 4 << 20;

    /// <summary>The URI with any password replaced, for journals, evidence and messages.</summary>
    public static string Redact(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.UserInfo.Contains(':', StringComparison.Ordinal)
            ? uri.Replace(parsed.UserInfo, parsed.UserInfo[..parsed.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal)
            : uri;

    public static bool IsUri(string text) => text.StartsWith("postgresql://", StringComparison.Ordinal) || text.StartsWith("postgres://", StringComparison.Ordinal);

    /// <summary>Runs a client program; null when it succeeded, else why not (its error output, passwords redacted).</summary>
    public static async Task<(string? Failure, string Output)> RunAsync(string program, IEnumerable<string> arguments, string uri, PostgresSession session, CancellationToken cancellation)
    {
        var environment = new Dictionary<string, string> { ["PGCONNECT_TIMEOUT"] = "10" };
        if (session.Password is { } reference)
        {
            var password = reference.Resolve();
            if (!password.IsOk)
                return ($"the password cannot be read: {password.Problem.Message}", "");
            environment["PGPASSWORD"] = password.Value;
        }
        ProgramOutcome ran;
        try
        {
            ran = await ExternalProgram.RunAsync(program, ["-w", .. arguments], session.Timeout, cancellation, environment: environment, maxCaptured: MaxOutput);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return ($"{program} is not installed (Debian: postgresql-client)", "");
        }
        var text = ran.Error.Replace(uri, Redact(uri), StringComparison.Ordinal).Trim();
        var shown = text.Length <= MaxShown ? text : "…" + text[^MaxShown..];
        return ran switch
        {
            { ExitCode: null } => ($"{program} did not finish within {session.Timeout} and was stopped{(shown.Length > 0 ? ": " + shown : "")}", ran.Output),
            { ExitCode: not 0 } => ($"{program} exited with {ran.ExitCode}: {shown}", ran.Output),
            { OutputCut: > 0 } => ($"{program} wrote more than {MaxOutput} bytes, more than a step reads", ran.Output),
            _ => (null, ran.Output),
        };
    }
}

/// <summary>
/// How a step's client programs connect and how long each may run: the <c>password</c> reference (<c>env:NAME</c> or
/// <c>file:PATH</c>, resolved for each call), and <c>timeout</c> (default 10m).
/// </summary>
internal sealed record PostgresSession(SecretReference? Password, TimeSpan Timeout)
{
    /// <summary>The evidence key under which a step records the password reference for a database (the reference only).</summary>
    public static string EvidenceKey(string uri) => $"password:postgres:{Postgres.Redact(uri)}";

    public static Result<PostgresSession> From(IReadOnlyDictionary<string, string> parameters)
    {
        SecretReference? password = null;
        if (parameters.TryGetValue("password", out var text))
        {
            var reference = SecretReference.Parse(text, "password");
            if (!reference.IsOk)
                return reference.Problem;
            password = reference.Value;
        }
        var timeout = StepParameters.Duration(parameters, "timeout", TimeSpan.FromMinutes(10));
        return timeout.IsOk
            ? Result<PostgresSession>.Ok(new PostgresSession(password, timeout.Value))
            : Result<PostgresSession>.Fail(ErrorCodes.RunbookInvalid, timeout.Problem.Message);
    }
}
