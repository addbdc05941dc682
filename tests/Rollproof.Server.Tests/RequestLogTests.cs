using System.Net.Http.Headers;
using System.Text.Json;
using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Server.Logging;

namespace Rollproof.Server.Tests;

/// <summary>The request log: one JSON line per request, on stderr or in <c>--request-log FILE</c>, and never a secret the request carried.</summary>
public sealed class RequestLogTests : IDisposable
{
    private readonly ServedStore _store = new(entries: 3);

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_request_carrying_a_token_leaves_no_trace_of_it_on_stderr()
    {
        var token = "rp_" + Guid.NewGuid().ToString("N");
        var server = await ServeProcess.StartAsync(_store.Root);
        using (var request = new HttpRequestMessage(HttpMethod.Get, $"checkpoint?token={token}&{token}"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Cookie", "session=" + token);
            (await server.Http.SendAsync(request)).Dispose();
        }
        using (var post = new HttpRequestMessage(HttpMethod.Post, "tile/0/000") { Content = new StringContent($"{{\"token\":\"{token}\"}}") })
        {
            post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await server.Http.SendAsync(post)).Dispose();
        }
        var (_, errors) = await server.StopAsync();
        await server.DisposeAsync();

        Assert.DoesNotContain(token, errors);
        var lines = RequestLines(errors);
        var get = Assert.Single(lines, line => line.GetProperty("method").GetString() == "GET");
        Assert.Equal("/checkpoint", get.GetProperty("path").GetString());
        Assert.Equal(200, get.GetProperty("status").GetInt32());
        Assert.Equal(2, get.GetProperty("queryParameters").GetInt32());
        Assert.True(get.GetProperty("durationMs").GetDouble() >= 0);
        Assert.Equal("127.0.0.1", get.GetProperty("remote").GetString());
        Assert.False(get.TryGetProperty("actor", out _));
        var post405 = Assert.Single(lines, line => line.GetProperty("method").GetString() == "POST");
        Assert.Equal(405, post405.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task With_request_log_the_lines_go_to_the_file_only()
    {
        var file = _store.Combine("requests.jsonl");
        var server = await ServeProcess.StartAsync(_store.Root, "--request-log", file);
        await server.Http.GetStringAsync("healthz");
        await server.Http.GetByteArrayAsync("tile/0/000.p/4");
        var (_, errors) = await server.StopAsync();
        await server.DisposeAsync();

        Assert.Empty(RequestLines(errors));
        var paths = RequestLines(await File.ReadAllTextAsync(file)).Select(line => line.GetProperty("path").GetString());
        Assert.Equal(["/healthz", "/tile/0/000.p/4"], paths);
    }

    [Fact]
    public async Task A_request_log_that_cannot_be_written_is_refused_and_nothing_is_served()
    {
        var error = new StringWriter();
        var file = _store.Combine("no-such-folder", "requests.jsonl");
        var code = CliApp.Run(["serve", "--store", _store.Root, "--listen", "127.0.0.1:0", "--request-log", file], new CliContext(new StringWriter(), error, interactive: false));
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(ErrorCodes.RequestLogUnusable, error.ToString());
        Assert.Contains(file, error.ToString());
        var writer = _store.Store.Log.OpenWriter();
        Assert.True(writer.IsOk, writer.IsOk ? null : writer.Problem.Message);
        await writer.Value.DisposeAsync();
    }

    [Fact]
    public void An_entry_names_the_actor_when_one_is_known_and_cuts_a_long_path()
    {
        var entry = new RequestLogEntry(new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero), "GET", "/" + new string('a', 2000), 0, 200, TimeSpan.FromMilliseconds(1.5), "alice", null);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
            entry.WriteTo(json);
        var line = JsonDocument.Parse(stream.ToArray()).RootElement;
        Assert.Equal("alice", line.GetProperty("actor").GetString());
        Assert.Equal("2026-12-06T22:00:00.000Z", line.GetProperty("time").GetString());
        Assert.Equal(RequestLogEntry.MaxPathLength + 1, line.GetProperty("path").GetString()!.Length);
        Assert.Equal(1.5, line.GetProperty("durationMs").GetDouble());
        Assert.False(line.TryGetProperty("queryParameters", out _));
    }

    // The request log's lines among whatever else the text holds (the server's own messages on stderr).
    private static List<JsonElement> RequestLines(string text) =>
        [.. text.Split('\n').Where(line => line.StartsWith("{\"time\"", StringComparison.Ordinal)).Select(line => JsonDocument.Parse(line).RootElement)];
}
