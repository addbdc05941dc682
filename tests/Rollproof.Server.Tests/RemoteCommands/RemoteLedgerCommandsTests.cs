using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;
using Rollproof.Testing;
using static Rollproof.Server.Tests.RemoteCommands.TeamServer;

namespace Rollproof.Server.Tests.RemoteCommands;

/// <summary>
/// The ledger commands beyond the governed rollback's main path with <c>--server</c> in place of <c>--store</c>, each
/// member on their own key and token against a real server: trust add, revoke and show; release create (then sign and
/// publish --envelope), show and push; policy show, approve and reject; rollback reject; the queries; trusted-root and
/// index rebuild. What they log is in the server's log and counts there; what they write for the user verifies.
/// </summary>
public sealed class RemoteLedgerCommandsTests(TeamServer served) : IClassFixture<TeamServer>
{
    private RemoteTeam Team => served.Team;

    [Fact]
    public async Task An_admin_adds_and_revokes_a_key_through_the_server_and_trust_show_follows_the_served_log()
    {
        using var frank = Signing.PrivateKey.Generate(Signing.KeyAlgorithm.EcdsaP256);
        File.WriteAllText(Team.Dir.Combine("frank.pub"), frank.PublicKey.ToPem());

        var added = served.Ok("trust", "add", "--name", "frank", "--public-key", Team.Dir.Combine("frank.pub"), "--kind", "approval", "--key", Team.Key("root"), "--json");
        var shown = served.Ok("trust", "show", "--json").Json;
        var revoked = served.Ok("trust", "revoke", "--name", "frank", "--key", Team.Key("root"), "--json");
        var after = served.Ok("trust", "show", "--json").Json;

        Assert.Equal(("key-change", "root"), (await served.CountsAsAsync(added.Json.GetProperty("logIndex").GetInt64())));
        Assert.Equal(("key-change", "root"), (await served.CountsAsAsync(revoked.Json.GetProperty("logIndex").GetInt64())));
        Assert.False(Frank(shown).TryGetProperty("revokedAt", out _));
        Assert.True(Frank(after).TryGetProperty("revokedAt", out _));
        // The server's own trust, derived from its log, is the same.
        var servedTrust = ReleaseStore.Open(Team.Store).Value.DeriveTrust().Value.Trust;
        Assert.NotNull(servedTrust.Keys.Single(k => k.Name == "frank").RevokedAt);
    }

    [Fact]
    public async Task A_release_created_signed_apart_and_published_as_an_envelope_through_the_server_is_shown_and_verifies()
    {
        var artifact = Team.Dir.Combine("app-2.0.tar");
        File.WriteAllText(artifact, "doc-signer 2.0");
        var (statement, envelope) = (Team.Dir.Combine("2.0.statement.json"), Team.Dir.Combine("2.0.envelope.json"));
        string[] ci = ["--json", .. served.Remote];

        var created = RemoteTeam.RunAs(Team.Tokens["ci"], ["release", "create", "--app", "doc-signer", "--version", "2.0", "--artifact", artifact, "-o", statement, .. ci]);
        RemoteTeam.Ok("release", "sign", statement, "--key", Team.Key("ci"), "-o", envelope);
        var published = RemoteTeam.RunAs(Team.Tokens["ci"], ["release", "publish", "--envelope", envelope, .. ci]);
        var shown = served.Ok("release", "show", "--app", "doc-signer", "--version", "2.0", "--json").Json;

        Assert.True(created.ExitCode == ExitCodes.Ok, created.Error);
        Assert.True(published.ExitCode == ExitCodes.Ok, published.Error);
        var index = published.Json.GetProperty("logIndex").GetInt64();
        Assert.Equal(("release", "ci"), (await served.CountsAsAsync(index)));
        Assert.Equal(index, shown.GetProperty("record").GetProperty("logIndex").GetInt64());
        served.Ok("release", "verify", "--app", "doc-signer", "--version", "2.0", "--state", served.State);
    }

    [Fact]
    public async Task A_release_is_pushed_from_the_server_to_a_registry_and_pulled_from_there_verified()
    {
        using var registry = new Registry();
        var repository = $"oci+http://127.0.0.1:{registry.Port}/team/doc-signer";

        var pushed = served.Ok("release", "push", "--app", "doc-signer", "--version", "1.0", "--to", repository, "--json").Json;
        var output = Team.Dir.Combine("pulled");
        RemoteTeam.Ok("release", "pull", "--from", $"{repository}:{pushed.GetProperty("tag").GetString()}", "--trust", Path.Combine(Team.Store, "trust.json"), "-o", output);

        Assert.Equal("doc-signer 1.0", await File.ReadAllTextAsync(Directory.EnumerateFiles(Path.Combine(output, "artifacts"), "*", SearchOption.AllDirectories).Single()));
    }

    [Fact]
    public async Task A_policy_change_is_approved_or_rejected_by_another_admin_through_the_server()
    {
        string Policy(string name, int approvals)
        {
            var path = Team.Dir.Combine(name + ".yaml");
            File.WriteAllText(path, $$"""
                environment: governed
                roles: { requesters: [alice], approvers: [carol, dave], operators: [ops], admins: [root, alice] }
                approvals: { required: {{approvals}} }
                policyChanges: { approvals: 1 }
                """);
            return path;
        }
        served.Ok("policy", "set", Policy("governed-1", 1), "--key", Team.Key("root"));
        var proposed = served.Ok("policy", "set", Policy("governed-2", 2), "--key", Team.Key("root"), "--json").Json.GetProperty("logIndex").GetInt64();
        var pending = served.Ok("policy", "show", "--env", "governed", "--json").Json;
        var approved = served.Ok("policy", "approve", Id(proposed), "--key", Team.Key("alice"), "--json").Json;
        var refused = served.Ok("policy", "set", Policy("governed-3", 1), "--key", Team.Key("root"), "--json").Json.GetProperty("logIndex").GetInt64();
        var rejected = served.Ok("policy", "reject", Id(refused), "--comment", "one approval is too few", "--key", Team.Key("alice"), "--json").Json;
        var inForce = served.Ok("policy", "show", "--env", "governed", "--json").Json;

        Assert.Equal(proposed, pending.GetProperty("pending")[0].GetProperty("logIndex").GetInt64());
        Assert.Equal(("approval", "alice"), (await served.CountsAsAsync(approved.GetProperty("logIndex").GetInt64())));
        Assert.Equal(("approval", "alice"), (await served.CountsAsAsync(rejected.GetProperty("logIndex").GetInt64())));
        // The approved change is in force; the rejected one never took effect, and nobody approved it.
        Assert.Equal(proposed, inForce.GetProperty("logIndex").GetInt64());
        Assert.Equal(refused, inForce.GetProperty("pending")[0].GetProperty("logIndex").GetInt64());
        Assert.Equal(0, inForce.GetProperty("pending")[0].GetProperty("approvedBy").GetArrayLength());
    }

    [Fact]
    public async Task A_request_rejected_through_the_server_is_rejected_and_the_queries_see_it()
    {
        served.Environment("rejected");
        var request = served.Request("rejected");

        var rejected = served.Ok("rollback", "reject", Id(request), "--comment", "not this way", "--key", Team.Key("dave"), "--json").Json;
        var status = served.Ok("rollback", "status", Id(request), "--state", served.State, "--json").Json;
        var byDave = served.Ok("query", "actor", "dave", "--json").Json;
        var history = served.Ok("query", "history", "doc-signer", "--json").Json;

        var rejection = rejected.GetProperty("logIndex").GetInt64();
        Assert.Equal(("approval", "dave"), await served.CountsAsAsync(rejection));
        Assert.Equal("rejected", status.GetProperty("decision").GetProperty("status").GetString());
        Assert.Contains(byDave.EnumerateArray(), e => e.GetProperty("logIndex").GetInt64() == rejection);
        Assert.Contains(history.EnumerateArray(), e => e.GetProperty("logIndex").GetInt64() == request);
    }

    [Fact]
    public void A_trusted_root_for_the_served_log_is_the_one_its_operator_writes_from_the_store()
    {
        var (remote, local) = (Team.Dir.Combine("trusted_root.json"), Team.Dir.Combine("operator-trusted_root.json"));

        var written = served.Ok("trusted-root", "-o", remote, "--json").Json;
        var validFrom = written.GetProperty("validFrom").GetDateTimeOffset();
        RemoteTeam.Ok("trusted-root", "--store", Team.Store, "-o", local, "--valid-from", validFrom.ToString("O"));

        Assert.Equal(File.ReadAllText(local), File.ReadAllText(remote));
        Assert.True(validFrom <= ReleaseStore.Open(Team.Store).Value.Log.Timestamps.Read(0).Value!.Time, "the key must be valid from the log's first entry on");
    }

    [Fact]
    public void Index_rebuild_through_the_server_rebuilds_this_machines_copy_and_says_so()
    {
        var rebuilt = served.Ok("index", "rebuild", "--json").Json;

        Assert.Equal(served.Server.Url.ToString(), rebuilt.GetProperty("server").GetString());
        Assert.StartsWith(Common.VerifierHome.Root, rebuilt.GetProperty("index").GetString(), StringComparison.Ordinal);
        Assert.Contains("this machine's copy", served.Ok("index", "rebuild").Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sigstore_bundle_and_gc_are_refused_through_the_server_saying_what_to_do_instead()
    {
        var size = await RemoteTeam.LogSizeAsync(served.Server.Http);

        var bundled = served.Run([.. Team.Publish("3.0"), "--bundle", Team.Dir.Combine("3.0.bundle.json")]);
        var collected = served.Run("gc");

        Assert.Equal(ExitCodes.Usage, bundled.ExitCode);
        Assert.Contains($"error {Common.ErrorCodes.NotThroughServer}: a Sigstore bundle cannot be made through the server", bundled.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, collected.ExitCode);
        Assert.Contains("works on a store on this machine only, not through --server", collected.Error, StringComparison.Ordinal);
        Assert.Equal(size, await RemoteTeam.LogSizeAsync(served.Server.Http));
        // Nothing of the refused publish was kept: the version publishes through the server as any other.
        Assert.Equal(("release", "ci"), await served.CountsAsAsync(served.Ok([.. Team.Publish("3.0"), "--json"]).Json.GetProperty("logIndex").GetInt64()));
    }

    private static JsonElement Frank(JsonElement shown) => shown.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "frank");

    private sealed class Registry : DockerRegistry
    {
        public Registry() => Start();
    }
}
