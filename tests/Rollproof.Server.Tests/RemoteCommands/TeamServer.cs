using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static Rollproof.Server.Tests.RemoteTeam;

namespace Rollproof.Server.Tests.RemoteCommands;

/// <summary>
/// One real <c>rollproof serve</c> of a <see cref="RemoteTeam"/>'s store for a test class, with doc-signer 1.0 and 1.1
/// published by ci through it; each test gives itself an environment of its own (<see cref="Environment"/>), so the
/// tests of a class share the server but not each other's state. Every command runs with <c>--server</c>, as the
/// member whose key it signs with, presenting that member's token.
/// </summary>
public sealed class TeamServer : IAsyncLifetime
{
    public RemoteTeam Team { get; } = new();

    public ServeProcess Server { get; private set; } = null!;

    /// <summary>The options that name the server in place of --store.</summary>
    public string[] Remote => Team.Server(Server.Url);

    /// <summary>The verifier state every rollback command of this class records what it saw in.</summary>
    public string State => Team.Dir.Combine("seen");

    public async Task InitializeAsync()
    {
        Server = await ServeProcess.StartAsync(Team.Store, Team.ServeOptions);
        // Ledger reads below are an auditor's: they see what counts, and sign nothing.
        Server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Team.Tokens[Auditor]);
        foreach (var version in new[] { "1.0", "1.1" })
            Ok([.. Team.Publish(version)]);
    }

    /// <summary>The command run through the server as the member whose <c>--key</c> it names (the auditor when none), which must succeed.</summary>
    public Outcome Ok(params string[] args) => Team.RemoteOk([.. args, .. Remote]);

    /// <summary>The command run through the server as <see cref="Ok"/> runs it, whatever its outcome.</summary>
    public Outcome Run(params string[] args) => Team.Remote([.. args, .. Remote]);

    /// <summary>
    /// <paramref name="env"/> with 1.0 then 1.1 deployed by ops, under a policy set by root: alice, carol and dave approve
    /// (<paramref name="approvals"/> needed), alice and ops request, ops operates, an operator's runbook amendment stands
    /// alone, alice may break glass and carol reviews emergencies.
    /// </summary>
    public void Environment(string env, int approvals = 2)
    {
        foreach (var version in new[] { "1.0", "1.1" })
            Ok("deploy", "record", "--env", env, "--app", "doc-signer", "--version", version, "--key", Team.Key("ops"), "--state", State);
        var policy = Team.Dir.Combine($"policy-{env}.yaml");
        File.WriteAllText(policy, $$"""
            environment: {{env}}
            roles: { requesters: [alice, ops], approvers: [alice, carol, dave], securityApprovers: [erin], operators: [ops], admins: [root] }
            approvals: { required: {{approvals}} }
            policyChanges: { approvals: 0 }
            amendments: { allow: operator }
            emergency: { breakGlass: [alice], approvals: 0, reviewWithin: 48h, reviewers: [carol] }
            """);
        Ok("policy", "set", policy, "--key", Team.Key("root"));
    }

    /// <summary>alice's request to roll <paramref name="env"/> back to 1.0, with <paramref name="extra"/> options; its log index.</summary>
    public long Request(string env, params string[] extra) =>
        Ok(["rollback", "request", "--env", env, "--to", "1.0", "--reason", "critical-bug", "--rationale", "1.1 breaks signing", "--ticket", "INC-1",
            "--key", Team.Key("alice"), "--state", State, "--json", .. extra]).Json.GetProperty("logIndex").GetInt64();

    /// <summary>A request in <paramref name="env"/> (made with <see cref="Environment"/>) approved by carol and dave; its log index.</summary>
    public long Approved(string env)
    {
        Environment(env);
        var request = Request(env);
        foreach (var approver in new[] { "carol", "dave" })
            Ok("rollback", "approve", Id(request), "--key", Team.Key(approver));
        return request;
    }

    public static string Id(long index) => index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The statement the server's log holds at <paramref name="index"/>, as its ledger API judges it on the trust path:
    /// it must count (signed by a key the log's trust lets sign its kind then). Its kind, its signer's trust name and its
    /// signed predicate.
    /// </summary>
    public async Task<(string Kind, string SignedBy, JsonElement Predicate)> CountedAsync(long index)
    {
        using var response = await Server.Http.GetAsync($"api/rollproof/v1/ledger/statements/{index}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"statement {index}: {(int)response.StatusCode} {body}");
        var entry = JsonDocument.Parse(body).RootElement;
        var statement = entry.GetProperty("statement");
        Assert.True(statement.ValueKind == JsonValueKind.Object, $"entry {index} does not count: {entry.GetProperty("setAside")}");
        var payload = Convert.FromBase64String(entry.GetProperty("envelope").GetProperty("payload").GetString()!);
        var predicate = JsonDocument.Parse(Encoding.UTF8.GetString(payload)).RootElement.GetProperty("predicate").Clone();
        return (statement.GetProperty("kind").GetString()!, statement.GetProperty("signedBy").GetProperty("name").GetString()!, predicate);
    }

    /// <summary>The kind and signer of the statement at <paramref name="index"/>, which must count (<see cref="CountedAsync"/>).</summary>
    public async Task<(string Kind, string SignedBy)> CountsAsAsync(long index)
    {
        var (kind, signer, _) = await CountedAsync(index);
        return (kind, signer);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Team.Dispose();
    }
}
