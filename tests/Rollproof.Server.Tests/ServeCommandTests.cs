using System.Net;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary><c>rollproof serve</c> as a process: it serves tlog-tiles any client can audit, and is its store's only writer.</summary>
public sealed class ServeCommandTests : IAsyncLifetime, IDisposable
{
    private readonly ServedStore _store = new(entries: 300);
    private ServeProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServeProcess.StartAsync(_store.Root);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task The_checkpoint_is_the_stores_own_and_is_never_cached_for_long()
    {
        using var response = await _server.Http.GetAsync("checkpoint");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_store.Root, "log", "checkpoint")), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("tile/0/000", 8192)]
    [InlineData("tile/0/001.p/45", 45 * 32)]
    [InlineData("tile/1/000.p/1", 32)]
    public async Task Tiles_are_served_as_stored_and_cached_as_immutable(string path, int length)
    {
        using var response = await _server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(length, body.Length);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_store.Root, "log", path)), body);
    }

    [Fact]
    public async Task Entry_bundles_are_served()
    {
        var body = await _server.Http.GetByteArrayAsync("tile/entries/001.p/45");
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_store.Root, "log", "tile/entries/001.p/45")), body);
    }

    [Theory]
    [InlineData("tile/0/..%2F.rollproof%2Flog.json")]
    [InlineData("tile/0/0000")]
    [InlineData("tile/64/000")]
    [InlineData("tile/00/000")]
    [InlineData("tile/0/001.p/0")]
    [InlineData("tile/0/001.p/256")]
    [InlineData("tile/0/002.p/1")]
    [InlineData("tile/entries/x001")]
    [InlineData(".rollproof/log.json")]
    [InlineData("timestamps")]
    public async Task Nothing_but_the_specs_resources_is_served(string path)
    {
        using var response = await _server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Health_and_readiness_answer()
    {
        Assert.Equal("ok\n", await _server.Http.GetStringAsync("healthz"));
        Assert.StartsWith("ready: 301 entries", await _server.Http.GetStringAsync("readyz"));
    }

    [Fact]
    public void The_served_log_verifies_with_log_verify_given_its_url()
    {
        var vkey = _store.Store.Log.Config.VerifierKey;
        var state = _store.Combine("seen");
        var outcome = Run("log", "verify", _server.Url.AbsoluteUri, "--vkey", vkey, "--state", state, "--json");
        Assert.True(outcome.Code == 0, outcome.Error);
        Assert.Contains("\"size\": 301", outcome.Out);
    }

    [Fact]
    public void A_served_log_checked_with_another_key_fails_verification()
    {
        var other = Rollproof.Signing.NoteKeys.GenerateEd25519("test.example/served").VerifierKey;
        var outcome = Run("log", "verify", _server.Url.AbsoluteUri, "--vkey", other, "--state", _store.Combine("seen-other"));
        Assert.Equal(ExitCodes.VerificationFailed, outcome.Code);
    }

    [Fact]
    public void While_it_serves_no_one_else_appends_to_its_log()
    {
        var entry = _store.Combine("entry.txt");
        File.WriteAllText(entry, "an operator's own append");
        var outcome = Run("log", "append", Path.Combine(_store.Root, "log"), entry);
        Assert.Equal(ExitCodes.InputError, outcome.Code);
        Assert.Contains("RP1309", outcome.Error);
    }

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, new CliContext(output, error, interactive: false));
        return (code, output.ToString(), error.ToString());
    }
}
