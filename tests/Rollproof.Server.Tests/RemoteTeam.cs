using System.Text.Json;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;
using Rollproof.Server.Access;
using Rollproof.Signing;
using Rollproof.Storage.Remote;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>
/// A team's keys, its starting trust and the store the log operator serves (created locally, as an operator does with
/// 'rollproof init'), with a token for each member and one for an auditor in the token file the server starts with
/// (<see cref="ServeOptions"/>); the CLI run in-process, as each member runs it on their own machine with <c>--server</c>
/// and their own <c>$ROLLPROOF_TOKEN</c> (<see cref="Remote"/>).
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
        var tokens = TokenFile.Empty;
        foreach (var (name, auditor) in People.Select(p => (p, false)).Append((Auditor, true)))
        {
            var added = tokens.Add(name, auditor).Value;
            (tokens, Tokens[name]) = (added.File, added.Token);
        }
        tokens.Write(TokenFilePath);
    }

    /// <summary>The name of the auditor's token: it reads, and signs nothing.</summary>
    public const string Auditor = "amy";

    /// <summary>Each member's API token (and the auditor's), as 'rollproof server token add' printed it to them.</summary>
    public Dictionary<string, string> Tokens { get; } = [];

    public string TokenFilePath => Dir.Combine("tokens");

    /// <summary>The options 'rollproof serve' of this team's store takes beside --store: its token file.</summary>
    public string[] ServeOptions => ["--token-file", TokenFilePath];

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
            RemoteOk([.. Publish(version), .. remote]);
            RemoteOk(["deploy", "record", "--env", "prod", "--app", "doc-signer", "--version", version, "--key", Key("ops"), "--state", state, .. remote]);
        }
        File.WriteAllText(Dir.Combine("policy.yaml"), """
            environment: prod
            roles: { requesters: [alice], approvers: [alice, carol, dave], securityApprovers: [erin], operators: [ops], admins: [root] }
            approvals: { required: 2 }
            policyChanges: { approvals: 0 }
            """);
        RemoteOk(["policy", "set", Dir.Combine("policy.yaml"), "--key", Key("root"), .. remote]);
        return RemoteOk(["rollback", "request", "--env", "prod", "--to", "1.0", "--reason", "critical-bug", "--rationale", "1.1 breaks signing",
            "--ticket", "INC-1", "--key", Key("alice"), "--state", state, "--json", .. remote]).Json.GetProperty("logIndex").GetInt64();
    }

    public sealed record Outcome(int ExitCode, string Out, string Error)
    {
        public JsonElement Json => JsonDocument.Parse(Out).RootElement;
    }

    /// <summary>A command run without a token (local commands, or against a server the team holds no token for).</summary>
    public static Outcome Run(params string[] args) => RunAs(token: null, args);

    public static Outcome Ok(params string[] args) => Succeeded(args, Run(args));

    /// <summary>
    /// A command run as the member whose <c>--key</c> it signs with, presenting that member's token; one that signs
    /// nothing presents the auditor's.
    /// </summary>
    public Outcome Remote(params string[] args)
    {
        var key = Array.IndexOf(args, "--key");
        var person = key < 0 ? Auditor : People.Single(p => Key(p) == args[key + 1]);
        return RunAs(Tokens[person], args);
    }

    public Outcome RemoteOk(params string[] args) => Succeeded(args, Remote(args));

    /// <summary>A command run presenting <paramref name="token"/> (none when null) as its <c>$ROLLPROOF_TOKEN</c>.</summary>
    public static Outcome RunAs(string? token, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = (string name) => name == ServerToken.Variable ? token : Environment.GetEnvironmentVariable(name);
        var code = CliApp.Run(args, new CliContext(output, error, interactive: false, environment));
        return new Outcome(code, output.ToString(), error.ToString());
    }

    private static Outcome Succeeded(string[] args, Outcome outcome)
    {
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
