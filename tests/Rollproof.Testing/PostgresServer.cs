
namespace Rollproof.Testing;

/// <summary>
/// A private PostgreSQL server for a test: a new cluster (initdb, trust authentication on loopback only) in a
/// temporary folder, started on a free port with pg_ctl, owned by the postgres user when the tests run as root
/// (PostgreSQL refuses to run as root), and stopped and removed on dispose. Needs Debian's postgresql package.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _bin;
    private readonly bool _asPostgres = Environment.UserName == "root";

    private readonly IReadOnlyDictionary<string, string> _client;

    /// <summary>A server; with a <paramref name="password"/>, TCP connections (every URI here) need it (scram-sha-256).</summary>
    public PostgresServer(string? password = null)
    {
        _client = password is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["PGPASSWORD"] = password };
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending(StringComparer.Ordinal).FirstOrDefault() ?? ""
            : "";
        if (_bin.Length == 0)
            throw new InvalidOperationException("PostgreSQL is not installed (Debian package postgresql): scripts/test.sh installs it");
        Port = LoopbackHttp.FreePort();
        if (_asPostgres)
        {
            File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_111_111);
            Must(ExternalProcess.Run("chown", ["postgres", _dir.Path]));
        }
        string[] auth = ["--auth=trust"];
        if (password is not null)
        {
            File.WriteAllText(Path.Combine(_dir.Path, "pwfile"), password + "\n");
            auth = ["--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile", Path.Combine(_dir.Path, "pwfile")];
        }
        Must(Tool("initdb", ["-D", Data, "-U", "postgres", .. auth, "-E", "UTF8", "--no-sync"]));
        Must(Tool("pg_ctl", ["-D", Data, "-l", Path.Combine(_dir.Path, "server.log"), "-w", "-t", "60", "start",
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_dir.Path} -c fsync=off"]));
    }

    public int Port { get; }

    /// <summary>A connection URI for <paramref name="database"/> as the superuser.</summary>
    public string Uri(string database = "postgres") => $"postgresql://postgres@127.0.0.1:{Port}/{database}";

    private string Data => Path.Combine(_dir.Path, "data");

    /// <summary>Runs SQL with psql, failing the test if it fails; returns the unaligned, tuples-only output.</summary>
    public string Sql(string sql, string database = "postgres")
    {
        var outcome = ExternalProcess.Run("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", Uri(database), "-c", sql], environment: _client);
        Must(outcome);
        return outcome.Out.Trim();
    }

    public void Dispose()
    {
        Tool("pg_ctl", ["-D", Data, "-m", "immediate", "stop"]);
        _dir.Dispose();
    }

    private ExternalProcess.Outcome Tool(string name, string[] arguments) => _asPostgres
        ? ExternalProcess.Run("runuser", ["-u", "postgres", "--", Path.Combine(_bin, name), .. arguments], timeout: TimeSpan.FromMinutes(2))
        : ExternalProcess.Run(Path.Combine(_bin, name), arguments, timeout: TimeSpan.FromMinutes(2));

    private static void Must(ExternalProcess.Outcome outcome)
    {
        if (outcome.ExitCode != 0)
            throw new InvalidOperationException($"PostgreSQL setup failed ({outcome.ExitCode}): {outcome.Out}{outcome.Error}");
    }
}
