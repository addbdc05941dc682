using System.Net;
using System.Text.Json;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Server.Tests;

/// <summary>
/// A served store with a ledger in it, made with the command line as a team makes it: web 1.0 and 1.1 released by ci
/// and deployed to prod by ops, a prod policy by root, a request by alice to roll back to 1.0 and carol's approval.
/// Three statements that must never count are appended raw, as whoever holds the log's key could: 1.1's release
/// signed again by mallory (a key nobody trusts) and by carol (trusted, but not for releases), and carol's approval
/// signed again by mallory. Then <c>rollproof serve</c> is started on it, once for every test class that shares it.
/// </summary>
public sealed class ServedLedger : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();

    public string Store => _dir.Combine("store");

    public string Combine(params string[] parts) => _dir.Combine(parts);

    public Dictionary<string, PrivateKey> Keys { get; } = new[] { "ci", "ops", "root", "alice", "carol", "mallory" }.ToDictionary(p => p, _ => PrivateKey.Generate(KeyAlgorithm.EcdsaP256));

    /// <summary>Each version's release statement, by log index.</summary>
    public Dictionary<string, long> Releases { get; } = [];

    public long Request { get; private set; }

    public long Approval { get; private set; }

    public long ByMallory { get; private set; }

    public long ByCarol { get; private set; }

    public long ApprovalByMallory { get; private set; }

    public ServeProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        foreach (var (name, key) in Keys)
        {
            File.WriteAllText(Key(name), key.ToUnencryptedPem());
            File.WriteAllText(Combine(name + ".pub"), key.PublicKey.ToPem());
        }
        Cli("trust", "init", "-o", Combine("trust.json"), "--valid-from", "2020-01-01T00:00:00Z", "--ci", $"ci={Combine("ci.pub")}", "--operator", $"ops={Combine("ops.pub")}",
            "--admin", $"root={Combine("root.pub")}", "--approver", $"alice={Combine("alice.pub")}", "--approver", $"carol={Combine("carol.pub")}");
        Cli("init", Store, "--trust", Combine("trust.json"));
        foreach (var version in new[] { "1.0", "1.1" })
        {
            File.WriteAllText(Artifact(version), "web " + version);
            Cli("release", "publish", "--store", Store, "--app", "web", "--version", version, "--artifact", Artifact(version), "--key", Key("ci"));
            Releases[version] = Size() - 1;
            Cli("deploy", "record", "--store", Store, "--env", "prod", "--app", "web", "--version", version, "--key", Key("ops"), "--state", Combine("seen"));
        }
        File.WriteAllText(Combine("policy.yaml"), """
            environment: prod
            roles: { requesters: [alice], approvers: [alice, carol], operators: [ops], admins: [root] }
            approvals: { required: 1 }
            evidence: { ticketPattern: '^INC-[0-9]+$' }
            policyChanges: { approvals: 0 }
            """);
        Cli("policy", "set", Combine("policy.yaml"), "--store", Store, "--key", Key("root"));
        Cli("rollback", "request", "--store", Store, "--env", "prod", "--to", "1.0", "--reason", "critical-bug", "--rationale", "1.1 breaks signing",
            "--ticket", "INC-1", "--key", Key("alice"), "--state", Combine("seen"));
        Request = Size() - 1;
        Cli("rollback", "approve", Request.ToString(System.Globalization.CultureInfo.InvariantCulture), "--store", Store, "--key", Key("carol"));
        Approval = Size() - 1;
        ByMallory = await SignAgainAsync(Releases["1.1"], Keys["mallory"]);
        ByCarol = await SignAgainAsync(Releases["1.1"], Keys["carol"]);
        ApprovalByMallory = await SignAgainAsync(Approval, Keys["mallory"]);
        // The ledger API answers token holders: an auditor's token reads it.
        var (tokens, token) = Rollproof.Server.Access.TokenFile.Empty.Add("auditor", auditor: true).Value;
        tokens.Write(Combine("tokens"));
        Server = await ServeProcess.StartAsync(Store, "--token-file", Combine("tokens"));
        Server.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    public const string Api = "api/rollproof/v1/ledger/";

    /// <summary>GETs a ledger API path (under <see cref="Api"/>), which must answer 200, as JSON.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Server.Http.GetAsync(Api + path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public string Key(string person) => Combine(person + ".pem");

    public string Artifact(string version) => Combine($"web-{version}.tar");

    /// <summary>The log's entry at <paramref name="index"/>, as its bytes.</summary>
    public byte[] Entry(long index) => LogEntries.Read(ReleaseStore.Open(Store).Value.Log.Storage, index, Size()).Value;

    public async Task DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
        Dispose();
    }

    public void Dispose()
    {
        foreach (var key in Keys.Values)
            key.Dispose();
        _dir.Dispose();
    }

    private long Size() => ReleaseStore.Open(Store).Value.Log.ReadCheckpoint().Value.Checkpoint.Size;

    // The statement at index, signed by signer instead, appended with a signed entry timestamp: no command checks who signed it.
    private async Task<long> SignAgainAsync(long index, IStatementSigner signer)
    {
        var statement = InTotoStatement.FromEnvelope(DsseEnvelope.Parse(Entry(index)).Value).Value;
        var store = ReleaseStore.Open(Store).Value;
        await using var writer = store.Log.OpenWriter().Value;
        var (logged, timestamp) = await writer.Writer.AppendWithTimestampAsync(statement.Sign(signer).ToJson());
        store.Log.Timestamps.Keep(logged, timestamp);
        return logged;
    }

    /// <summary>Runs the command line in-process; it must succeed. Returns what it wrote to stdout.</summary>
    public static string Cli(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = CliApp.Run(args, new CliContext(output, error, interactive: false));
        Assert.True(code == ExitCodes.Ok, $"rollproof {string.Join(' ', args.Take(2))} failed: {error}{output}");
        return output.ToString();
    }
}

[CollectionDefinition(Name)]
public sealed class ServedLedgerGroup : ICollectionFixture<ServedLedger>
{
    public const string Name = "served ledger";
}
