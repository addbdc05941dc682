using System.Net.Http.Headers;

namespace Rollproof.LoadGen;

/// <summary>Statement submissions: each pre-signed envelope POSTed once (the log refuses nothing twice, but dedup answers faster), clients taking turns through them.</summary>
public static class SubmitLoad
{
    public const string DefaultEndpoint = "api/rollproof/v1/entries";

    public static async Task<LoadReport> RunAsync(IReadOnlyList<HttpClient> http, LoadRun run, string endpoint, byte[][] envelopes, string? token)
    {
        long next = -1;
        var report = await run.RunAsync(http, (_, _) =>
        {
            var i = Interlocked.Increment(ref next);
            var content = new ByteArrayContent(envelopes[i % envelopes.Length]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
            if (token is not null)
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return message;
        });
        if (next >= envelopes.Length)
            Console.Error.WriteLine($"note: {next + 1:N0} submissions reused the {envelopes.Length:N0} envelopes; repeats were answered from the log's dedup index");
        return report;
    }
}
