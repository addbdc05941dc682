using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Cli.Infrastructure;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Trust;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A store with a governed production environment, built through the command line: two releases of doc-signer
/// (1.1 changes the signing algorithm and fixes a lodash vulnerability), both deployed to prod, a policy, a
/// vulnerability feed, and a key for every role.
/// </summary>
public abstract class GovernedStoreTests : IDisposable
{
    private static readonly string[] People = ["ci", "ops", "root", "alice", "bob", "carol", "dave", "erin"];
    protected TempDirectory Dir { get; } = new();
    protected Dictionary<string, PrivateKey> Keys { get; } = People.ToDictionary(p => p, _ => PrivateKey.Generate(KeyAlgorithm.EcdsaP256));

    protected GovernedStoreTests()
    {
        foreach (var (name, key) in Keys)
        {
            File.WriteAllText(Key(name), key.ToUnencryptedPem());
            File.WriteAllText(Dir.Combine(name + ".pub"), key.PublicKey.ToPem());
        }
        string Role(string person) => person switch { "ci" => "--ci", "ops" => "--operator", "root" => "--admin", _ => "--approver" };
        Ok(["trust", "init", "-o", Dir.Combine("trust.json"), "--valid-from", "2020-01-01T00:00:00Z", .. People.SelectMany(p => new[] { Role(p), $"{p}={Dir.Combine(p + ".pub")}" })]);
        Ok("init", Store, "--trust", Dir.Combine("trust.json"));
        foreach (var version in DeployedBefore)
        {
            Release(version, lodash: "4.17.20", signing: "ES256", migrations: false);
            Ok("deploy", "record", "--store", Store, "--env", "prod", "--app", "doc-signer", "--version", version, "--key", Key("ops"), "--state", State);
        }
        Release("1.0", lodash: "4.17.20", signing: "ES256", migrations: false);
        Release("1.1", lodash: "4.17.21", signing: "Ed25519", migrations: true);
        Ok("deploy", "record", "--store", Store, "--env", "prod", "--app", "doc-signer", "--version", "1.0", "--key", Key("ops"), "--state", State);
        Ok("deploy", "record", "--store", Store, "--env", "prod", "--app", "doc-signer", "--version", "1.1", "--key", Key("ops"), "--state", State);
        File.WriteAllText(Dir.Combine("policy.yaml"), """
            environment: prod
            roles:
              requesters: [alice, bob]
              approvers: [alice, carol, dave]
              securityApprovers: [erin]
              operators: [ops]
              admins: [root]
            approvals: { required: 2, securityApproverFrom: critical, securityApproverForSecurityFindings: true }
            evidence: { ticketPattern: '^INC-[0-9]+$' }
            emergency: { breakGlass: [bob], approvals: 0, reviewWithin: 48h, reviewers: [carol] }
            policyChanges: { approvals: 0 }
            """ + PolicyExtra);
        Ok("policy", "set", Dir.Combine("policy.yaml"), "--store", Store, "--key", Key("root"));
        Directory.CreateDirectory(Dir.Combine("vulns"));
        File.WriteAllText(Dir.Combine("vulns", "lodash.json"), """
            {"id":"GHSA-35jh-r3h4-6jhm","aliases":["CVE-2021-23337"],"database_specific":{"severity":"HIGH"},
             "affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}
            """);
    }

    /// <summary>More policy settings for a test class's prod policy (a YAML line starting with a newline).</summary>
    protected virtual string PolicyExtra => "";

    /// <summary>Versions released (as 1.0 is) and deployed to prod, in order, before 1.0 and 1.1.</summary>
    protected virtual IReadOnlyList<string> DeployedBefore => [];

    protected string Store => Dir.Combine("store");

    protected string State => Dir.Combine("seen");

    protected string Key(string person) => Dir.Combine(person + ".pem");

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        foreach (var key in Keys.Values)
            key.Dispose();
        Dir.Dispose();
    }

    protected static CliRunner.Outcome Ok(params string[] args)
    {
        var outcome = Run(args);
        Assert.True(outcome.ExitCode == ExitCodes.Ok, $"{string.Join(' ', args.Take(2))} failed: {outcome.Error}");
        return outcome;
    }

    protected void Release(string version, string lodash, string signing, bool migrations)
    {
        var published = Publish(version, lodash, signing, migrations, "ci");
        Assert.True(published.ExitCode == ExitCodes.Ok, $"release publish {version} failed: {published.Error}");
    }

    /// <summary>Builds a release of doc-signer and publishes it signed by <paramref name="signer"/>.</summary>
    protected CliRunner.Outcome Publish(string version, string lodash, string signing, bool migrations, string signer)
    {
        var dir = Dir.Combine("build-" + version);
        Directory.CreateDirectory(Path.Combine(dir, "migrations"));
        File.WriteAllText(Path.Combine(dir, "app.tar"), "doc-signer " + version);
        File.WriteAllText(Path.Combine(dir, "sbom.json"), JsonSerializer.Serialize(new
        {
            bomFormat = "CycloneDX", specVersion = "1.6", version = 1,
            components = new[] { new { type = "library", name = "lodash", version = lodash, purl = $"pkg:npm/lodash@{lodash}" } },
        }));
        File.WriteAllText(Path.Combine(dir, "surface.json"),
            $$"""{"routes":["/sign"],"roles":["signer"],"scopes":["sign:write"],"crypto":[{"purpose":"document-signing","algorithm":"{{signing}}","keySize":null}]}""");
        if (migrations)
        {
            File.WriteAllText(Path.Combine(dir, "migrations", "0002_signatures.up.sql"), "ALTER TABLE docs ADD COLUMN sig TEXT;");
            File.WriteAllText(Path.Combine(dir, "migrations", "0002_signatures.down.sql"), "ALTER TABLE docs DROP COLUMN sig;");
        }
        return Run("release", "publish", "--store", Store, "--app", "doc-signer", "--version", version, "--artifact", Path.Combine(dir, "app.tar"),
            "--sbom", Path.Combine(dir, "sbom.json"), "--surface", Path.Combine(dir, "surface.json"), "--migrations", Path.Combine(dir, "migrations"), "--key", Key(signer));
    }

    protected JsonElement Request(string person, params string[] more) =>
        JsonDocument.Parse(Ok(["rollback", "request", "--store", Store, "--env", "prod", "--to", "1.0", "--reason", "critical-bug",
            "--rationale", "1.1 signs with the wrong algorithm; signatures stop verifying", "--ticket", "INC-4711", "--vulns", Dir.Combine("vulns"),
            "--key", Key(person), "--state", State, "--json", .. more]).Out).RootElement;

    /// <summary>A request by alice to roll prod back to 1.0, approved by carol, dave and erin (the security approver).</summary>
    protected long Approved()
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();
        foreach (var approver in new[] { "carol", "dave", "erin" })
            Assert.Equal(ExitCodes.Ok, Decide("approve", request, approver).ExitCode);
        return request;
    }

    protected CliRunner.Outcome Execute(long request, string runbook, string key = "ops", params string[] more) =>
        Run(["rollback", "execute", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--runbook", runbook, "--key", Key(key), "--state", State, "--json", .. more]);

    protected CliRunner.Outcome Decide(string verb, long request, string person, params string[] more) =>
        Run(["rollback", verb, request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--key", Key(person), "--json", .. more]);

    protected JsonElement Status(long request, params string[] more) =>
        JsonDocument.Parse(Ok(["rollback", "status", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--state", State, "--json", .. more]).Out).RootElement.GetProperty("decision");

    protected static string[] Unmet(JsonElement decision) => [.. decision.GetProperty("unmet").EnumerateArray().Select(u => u.GetString()!)];

    /// <summary>A SQLite database as 1.1 left it: 1.1's migration added the <c>sig</c> column to <c>docs</c>.</summary>
    protected string DocsDatabase()
    {
        var database = Dir.Combine("docs.db");
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE docs (id INTEGER, body TEXT); ALTER TABLE docs ADD COLUMN sig TEXT; INSERT INTO docs VALUES (1, 'contract', 'sig-by-1.1');";
        command.ExecuteNonQuery();
        return database;
    }

    protected static string[] Columns(string database)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_info('docs') ORDER BY cid";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
            columns.Add(reader.GetString(0));
        return [.. columns];
    }

    /// <summary>
    /// Appends an entry straight to the log with a signed entry timestamp, as whoever holds the store's log key can:
    /// no command checks who signed it.
    /// </summary>
    protected async Task<long> AppendRawAsync(byte[] entry)
    {
        var store = Releases.ReleaseStore.Open(Store).Value;
        await using var writer = store.Log.OpenWriter().Value;
        var (index, timestamp) = await writer.Writer.AppendWithTimestampAsync(entry);
        store.Log.Timestamps.Keep(index, timestamp);
        return index;
    }

    /// <summary>A deployment of doc-signer to prod signed by <paramref name="signer"/>, appended raw: the ledger's own append would refuse a key that is no operator.</summary>
    protected async Task<long> AppendDeploymentAsync(string version, IStatementSigner signer)
    {
        var release = Releases.ReleaseStore.Open(Store).Value.Find("doc-signer", version).Value;
        var predicate = new Ledger.DeploymentPredicate("prod", "doc-signer", version, new Trust.StatementRef(release.LogIndex!.Value, release.EnvelopeDigest), "forged");
        var subject = new Formats.Subject($"release:doc-signer@{version}", new Dictionary<string, string> { ["sha256"] = release.EnvelopeDigest["sha256:".Length..] });
        return await AppendRawAsync(new Formats.InTotoStatement([subject], Ledger.StatementKinds.PredicateType(Ledger.StatementKinds.Deployment), Formats.PredicateJson.Write(predicate)), signer);
    }

    /// <summary>Appends a signed statement with 'rollproof log append', as anyone who can run the log's CLI can: no signed entry timestamp.</summary>
    protected long LogAppend(Formats.InTotoStatement statement, Formats.IBytesSigner signer)
    {
        var file = Dir.Combine($"entry-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(file, statement.Sign(signer).ToJson());
        return JsonDocument.Parse(Ok("log", "append", Path.Combine(Store, "log"), file, "--json").Out).RootElement[0].GetProperty("index").GetInt64();
    }

    protected Task<long> AppendRawAsync(Formats.InTotoStatement statement, Formats.IBytesSigner signer) => AppendRawAsync(statement.Sign(signer).ToJson());

    /// <summary>The statement a log entry holds, to be altered and signed again.</summary>
    protected Formats.InTotoStatement StatementAt(long index) =>
        Formats.InTotoStatement.FromEnvelope(Formats.DsseEnvelope.Parse(LogEntry(index)).Value).Value;

    protected byte[] LogEntry(long index)
    {
        var store = Releases.ReleaseStore.Open(Store).Value;
        var size = store.Log.ReadCheckpoint().Value.Checkpoint.Size;
        return Transparency.LogEntries.Read(store.Log.Storage, index, size).Value;
    }
}
