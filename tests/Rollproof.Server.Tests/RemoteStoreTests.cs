using System.Globalization;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using static Rollproof.Server.Tests.RemoteTeam;

namespace Rollproof.Server.Tests;

/// <summary>
/// The CLI against a real 'rollproof serve' with --server in place of --store: the whole story signed on each
/// member's machine and logged by the server alone; and a server that lies (a checkpoint under another key, a
/// rewound or forked log, a blob with other bytes) refused.
/// </summary>
public sealed class RemoteStoreTests : IDisposable
{
    private readonly RemoteTeam _team = new();

    private string State => _team.Dir.Combine("seen");

    [Fact]
    public async Task The_story_runs_with_server_in_place_of_store_and_the_client_never_holds_the_log_key()
    {
        var package = _team.Dir.Combine("evidence.zip");
        var (request, decision, listed, environments) = await StoryAsync(package);

        Assert.Equal("approved", decision.GetProperty("status").GetString());
        Assert.Contains(request.ToString(CultureInfo.InvariantCulture), listed, StringComparison.Ordinal);
        Assert.Contains(environments.EnumerateArray(), e => e.GetProperty("environment").GetString() == "prod" && e.GetProperty("version").GetString() == "1.1");
        // Offline, with the trust file the operator hands out: no server, no store.
        Ok("evidence", "verify", package, "--trust", Path.Combine(_team.Store, "trust.json"));
        // Every statement is in the server's own log, and its release records are its own.
        var served = ReleaseStore.Open(_team.Store).Value;
        Assert.Equal(2, served.List().Value.Count(r => r.LogIndex is not null));
        Assert.Empty(Directory.EnumerateFiles(VerifierHome.Root, "*.key", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_first_release_key_is_not_trusted_on_first_use_through_the_server()
    {
        // A store that trusts no one yet: a token names someone, but no name holds a key, so no token acts for anyone
        // (trust on first use is for the operator's machine, with the store itself).
        using var store = new ServedStore();
        var tokens = store.Combine("tokens");
        var token = System.Text.RegularExpressions.Regex.Match(Ok("server", "token", "add", "ci", "--token-file", tokens).Out, "rpt_[A-Za-z0-9_-]+").Value;
        await using var server = await ServeProcess.StartAsync(store.Root, "--token-file", tokens);
        var remote = new[] { "--server", server.Url.ToString(), "--server-log-key", store.Store.Log.Config.VerifierKey };
        var trust = File.ReadAllText(Path.Combine(store.Root, "trust.json"));
        var size = await LogSizeAsync(server.Http);

        var refused = RunAs(token, [.. Publish("1.0"), .. remote]);

        Assert.NotEqual(ExitCodes.Ok, refused.ExitCode);
        Assert.Contains(ErrorCodes.TrustNotBootstrapped, refused.Error, StringComparison.Ordinal);
        Assert.Contains("bootstrap it on the server's machine with --store", refused.Error, StringComparison.Ordinal);
        Assert.Equal(trust, File.ReadAllText(Path.Combine(store.Root, "trust.json")));
        Assert.Equal(size, await LogSizeAsync(server.Http));
    }

    [Fact]
    public async Task A_server_whose_checkpoint_is_not_signed_by_the_log_key_the_user_holds_is_refused()
    {
        using var other = new ServedStore();
        await using var server = await ServeProcess.StartAsync(other.Root);

        var listed = Run("release", "list", "--server", server.Url.ToString(), "--server-log-key", _team.LogKey);

        Assert.Equal(ExitCodes.VerificationFailed, listed.ExitCode);
        Assert.Contains("not signed by the log key you hold", listed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_rewinds_or_forks_its_log_is_refused()
    {
        // The operator keeps a copy of the store as it was, then serves it again behind the same address.
        var copy = _team.Dir.Combine("copy-of-store");
        CopyDirectory(_team.Store, copy);
        var (stateA, stateB) = (_team.Dir.Combine("state-a"), _team.Dir.Combine("state-b"));
        using var proxy = new ServerProxy(new Uri("http://127.0.0.1:1/"));
        var remote = _team.Server(proxy.Url);
        await using (var original = await ServeProcess.StartInAsync(stateA, _team.Store, _team.ServeOptions))
        {
            proxy.Backend = original.Url;
            _team.RemoteOk([.. Publish("1.0"), .. remote]);
        }

        await using (var rewound = await ServeProcess.StartInAsync(stateB, copy, _team.ServeOptions))
        {
            proxy.Backend = rewound.Url;
            var refused = _team.Remote(["release", "list", .. remote]);
            Assert.Equal(ExitCodes.VerificationFailed, refused.ExitCode);
            Assert.Contains("rolled back", refused.Error, StringComparison.Ordinal);
        }
        await AppendAsync(copy, 5);
        await using (var forked = await ServeProcess.StartInAsync(stateB, copy, _team.ServeOptions))
        {
            proxy.Backend = forked.Url;
            var refused = _team.Remote(["release", "list", .. remote]);
            Assert.Equal(ExitCodes.VerificationFailed, refused.ExitCode);
            Assert.Contains("not consistent", refused.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_blob_served_with_other_bytes_than_its_digest_is_refused()
    {
        await using var server = await ServeProcess.StartAsync(_team.Store, _team.ServeOptions);
        _team.RemoteOk([.. Publish("1.0"), .. _team.Server(server.Url)]);
        using var proxy = new ServerProxy(server.Url) { TamperBlobs = true };

        var verified = _team.Remote(["release", "verify", "--app", "doc-signer", "--version", "1.0", "--state", State, .. _team.Server(proxy.Url)]);

        Assert.NotEqual(ExitCodes.Ok, verified.ExitCode);
        Assert.Contains(ErrorCodes.BlobCorrupt, verified.Error, StringComparison.Ordinal);
        Assert.Contains("hash to", verified.Error, StringComparison.Ordinal);
    }

    // Every member on their own machine, with --server: the request filed (RemoteTeam.FileRequest), three approve;
    // then anyone reads where it stands and exports the evidence.
    private async Task<(long Request, System.Text.Json.JsonElement Decision, string Listed, System.Text.Json.JsonElement Environments)> StoryAsync(string package)
    {
        await using var server = await ServeProcess.StartAsync(_team.Store, _team.ServeOptions);
        var remote = _team.Server(server.Url);
        var request = _team.FileRequest(remote, State);
        var number = request.ToString(CultureInfo.InvariantCulture);
        foreach (var approver in new[] { "carol", "dave", "erin" })
            _team.RemoteOk(["rollback", "approve", number, "--key", _team.Key(approver), "--json", .. remote]);
        var decision = _team.RemoteOk(["rollback", "status", number, "--state", State, "--json", .. remote]).Json.GetProperty("decision");
        var listed = _team.RemoteOk(["rollback", "list", "--state", State, "--json", .. remote]).Out;
        var environments = _team.RemoteOk(["query", "environments", "--json", .. remote]).Json;
        _team.RemoteOk(["evidence", "export", number, "-o", package, .. remote]);
        return (request, decision, listed, environments);
    }

    private string[] Publish(string version) => _team.Publish(version);

    private static async Task AppendAsync(string store, int entries)
    {
        var opened = ReleaseStore.Open(store).Value;
        await using var writer = opened.Log.OpenWriter().Value;
        for (var i = 0; i < entries; i++)
            await writer.Writer.AppendAsync(System.Text.Encoding.UTF8.GetBytes($"fork {i}"));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => _team.Dispose();
}
