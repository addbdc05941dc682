using System.Text.Json;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>
/// A team's keys, its starting trust and the store the log operator serves (created locally, as an operator does with
/// 'rollproof init'); the CLI run in-process, as each member runs it on their own machine with <c>--server</c>.
/// </summary>
public sealed class RemoteTeam : IDisposable
{
    private static readonly string[] People = ["ci", "ops", "root", "alice", "carol", "dave", "erin"];

    public RemoteTeam()
    {
        foreach (var (name, key) in Keys)
        {
            File.WriteAllText(Key(name), key.ToUnencryptedPem());
            File.WriteAllText(Dir.Combine(name + ".pub"), key.PublicKey.ToPem());
        }
        static string Role(string person) => person switch { "ci" => "--ci", "ops" => "--operator", "root" => "--admin", _ => "--approver" };
        Ok(["trust", "init", "-o", Dir.Combine("team-trust.json"), "--valid-from", "2020-01-01T00:00:00Z", .. People.SelectMany(p => new[] { Role(p), $"{p}={Dir.Combine(p + ".pub")}" })]);
        Ok("init", Store, "--trust", Dir.Combine("team-trust.json"));
        LogKey = ReleaseStore.Open(Store).Value.Log.Config.VerifierKey;
    }

    public TempDirectory Dir { get; } = new();

    public Dictionary<string, PrivateKey> Keys { get; } = People.ToDictionary(p => p, _ => PrivateKey.Generate(KeyAlgorithm.EcdsaP256));

    /// <summary>The store the server serves: only the operator's machine has it.</summary>
    public string Store => Dir.Combine("served-store");

    /// <summary>The served log's key as the team holds it (the verifier key string).</summary>
    public string LogKey { get; }

    public string Key(string person) => Dir.Combine(person + ".pem");

    /// <summary>The options that name the server in place of --store.</summary>
    public string[] Server(Uri url) => ["--server", url.ToString(), "--server-log-key", LogKey];

    public sealed record Outcome(int ExitCode, string Out, string Error)
    {
        public JsonElement Json => JsonDocument.Parse(Out).RootElement;
    }

    public static Outcome Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, new CliContext(output, error, interactive: false));
        return new Outcome(code, output.ToString(), error.ToString());
    }

    public static Outcome Ok(params string[] args)
    {
        var outcome = Run(args);
        Assert.True(outcome.ExitCode == ExitCodes.Ok, $"{string.Join(' ', args.Take(2))} exited {outcome.ExitCode}: {outcome.Error}");
        return outcome;
    }

    /// <summary>The size of the log the server publishes now.</summary>
    public static async Task<long> LogSizeAsync(HttpClient http) => long.Parse((await http.GetStringAsync("checkpoint")).Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var key in Keys.Values)
            key.Dispose();
        Dir.Dispose();
    }
}
