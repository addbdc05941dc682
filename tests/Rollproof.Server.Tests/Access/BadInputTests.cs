using System.Net;
using System.Text;
using Rollproof.Server.Limits;

namespace Rollproof.Server.Tests.Access;

/// <summary>
/// Generated bad input sent to every endpoint the server maps (enumerated from its routing, so new endpoints are
/// covered as they land), anonymous and with the most powerful token: random bytes, deep JSON, bodies over the
/// limit, wrong content types, and hostile path values. None may get a 5xx, every refusal is problem+json, every
/// endpoint that takes a body refuses it with a 4xx, and the log is exactly what it was.
/// </summary>
public sealed class BadInputTests(AccessServer server) : IClassFixture<AccessServer>
{
    private static readonly string[] Callers = ["none", "admin", "ci"];

    [Fact]
    public async Task Bad_bodies_on_every_endpoint_get_a_4xx_problem_and_change_nothing()
    {
        var before = server.Server.Log.Writer.LatestCheckpoint;
        var wrong = new List<string>();
        using var http = new HttpClient();
        foreach (var call in ServedEndpoints.Of(server.Server))
            foreach (var (input, content) in Bodies())
                foreach (var caller in Callers)
                {
                    using var request = server.Request(call.Method, call.Path, caller);
                    // One connection per request, so one request's unread body never spills into the next.
                    request.Headers.ConnectionClose = true;
                    request.Content = content();
                    var oversized = request.Content.Headers.ContentLength > RequestLimits.MaxBodyBytes;
                    HttpResponseMessage response;
                    try
                    {
                        response = await http.SendAsync(request);
                    }
                    catch (HttpRequestException) when (oversized)
                    {
                        // An endpoint that never reads a body answers first; the server then cuts the oversized rest off.
                        continue;
                    }
                    // The probes are this test's own instruments, not endpoints that parse a statement; only bad input
                    // to the server's real endpoints must be refused.
                    var parsesBody = (call.Method == HttpMethod.Post || call.Method == HttpMethod.Put || call.Method == HttpMethod.Patch) && !call.Path.StartsWith("probe/", StringComparison.Ordinal);
                    if (Wrong(response, mustRefuse: parsesBody || (oversized && call.Method != HttpMethod.Get)) is { } why)
                        wrong.Add($"{call} as {caller} with {input}: {why}");
                    response.Dispose();
                }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Same(before, server.Server.Log.Writer.LatestCheckpoint);
    }

    [Fact]
    public async Task Hostile_path_values_on_every_endpoint_get_no_5xx_and_change_nothing()
    {
        var before = server.Server.Log.Writer.LatestCheckpoint;
        var wrong = new List<string>();
        using var http = new HttpClient();
        string[] samples = ["../../.rollproof/log.key", "..%2F..%2Fetc%2Fpasswd", "\0", "%00", "%C0%AE%C0%AE", new string('9', 4000), "x\ny: z", "😀", "-1", "99999999999999999999999"];
        foreach (var sample in samples)
            foreach (var call in ServedEndpoints.Of(server.Server, sample).DistinctBy(c => (c.Method, c.Path)))
                foreach (var caller in Callers)
                {
                    using var response = await http.SendAsync(server.Request(call.Method, call.Path + "?" + Uri.EscapeDataString(sample) + "=" + Uri.EscapeDataString(sample), caller));
                    if (Wrong(response, mustRefuse: false) is { } why)
                        wrong.Add($"{call} as {caller}: {why}");
                }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Same(before, server.Server.Log.Writer.LatestCheckpoint);
    }

    private static string? Wrong(HttpResponseMessage response, bool mustRefuse)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
            return $"{status}";
        if (mustRefuse && status < 400)
            return $"{status}: bad input accepted";
        // Kestrel's own refusals of oversized requests come before any middleware and carry no body.
        var media = response.Content.Headers.ContentType?.MediaType;
        return status >= 400 && response.Content.Headers.ContentLength != 0 && media != "application/problem+json" && status != 503
            ? $"{status} as {media}, not application/problem+json"
            : null;
    }

    private static IEnumerable<(string Name, Func<HttpContent> Content)> Bodies()
    {
        var random = new Random(15);
        for (var i = 0; i < 4; i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            yield return ($"random bytes #{i} as JSON", () => Typed(new ByteArrayContent(bytes), "application/json"));
            yield return ($"random bytes #{i} untyped", () => new ByteArrayContent(bytes));
        }
        yield return ("deep arrays", () => Json(new string('[', 100_000) + new string(']', 100_000)));
        yield return ("deep objects", () => Json(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)));
        yield return ("invalid UTF-8 in a string", () => Typed(new ByteArrayContent([(byte)'{', (byte)'"', (byte)'k', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}']), "application/json"));
        yield return ("a lone surrogate", () => Json("{\"keyId\":\"\\ud800\",\"kind\":\"release\"}"));
        yield return ("wrong types", () => Json("{\"keyId\":[1],\"kind\":{},\"count\":\"many\"}"));
        yield return ("null", () => Json("null"));
        yield return ("empty JSON body", () => Json(""));
        yield return ("XML", () => Typed(new StringContent("<entry/>"), "application/xml"));
        yield return ("form", () => new FormUrlEncodedContent([new("keyId", "x"), new("kind", "release")]));
        yield return ("a body over the limit", () => Json("\"" + new string('a', 300 * 1024) + "\""));
    }

    private static HttpContent Json(string text) => Typed(new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "application/json");

    private static HttpContent Typed(HttpContent content, string type)
    {
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        return content;
    }
}
