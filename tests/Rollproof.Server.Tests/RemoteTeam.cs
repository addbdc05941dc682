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

    /// <summary>'release publish' of doc-signer VERSION (one artifact) signed by ci, without --store or --server.</summary>
    public string[] Publish(string version)
    {
        var dir = Dir.Combine("build-" + version);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "app.tar"), "doc-signer " + version);
        return ["release", "publish", "--app", "doc-signer", "--version", version, "--artifact", Path.Combine(dir, "app.tar"), "--key", Key("ci")];
    }

    /// <summary>
    /// Through the server <paramref name="remote"/> names: ci publishes 1.0 and 1.1, ops deploys both to prod, root
    /// sets prod's policy (two approvals), alice asks to roll back to 1.0. The request's log index.
    /// </summary>
    public long FileRequest(string[] remote, string state)
    {
        foreach (var version in new[] { "1.0", "1.1" })
        {
            Ok([.. Publish(version), .. remote]);
            Ok(["deploy", "record", "--env", "prod", "--app", "doc-signer", "--version", version, "--key", Key("ops"), "--state", state, .. remote]);
        }
        File.WriteAllText(Dir.Combine("policy.yaml"), """
            environment: prod
            roles: { requesters: [alice], approvers: [alice, carol, dave], securityApprovers: [erin], operators: [ops], admins: [root] }
            approvals: { required: 2 }
            policyChanges: { approvals: 0 }
            """);
        Ok(["policy", "set", Dir.Combine("policy.yaml"), "--key", Key("root"), .. remote]);
        return Ok(["rollback", "request", "--env", "prod", "--to", "1.0", "--reason", "critical-bug", "--rationale", "1.1 breaks signing",
            "--ticket", "INC-1", "--key", Key("alice"), "--state", state, "--json", .. remote]).Json.GetProperty("logIndex").GetInt64();
    }

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
