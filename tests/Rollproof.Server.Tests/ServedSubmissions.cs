using System.Net;
using System.Text.Json;

namespace Rollproof.Server.Tests;

/// <summary>Envelopes submitted to a served log as a team member's client submits them, and refusals asserted whole.</summary>
public sealed class ServedSubmissions(HttpClient http, RemoteTeam team)
{
    /// <summary>
    /// <paramref name="body"/> submitted with <paramref name="person"/>'s token is refused with <paramref name="status"/>,
    /// as problem+json with <paramref name="code"/> and a detail naming <paramref name="named"/>; the log is unchanged.
    /// </summary>
    public async Task AssertRefusedAsync(byte[] body, string person, HttpStatusCode status, string code, string named)
    {
        var size = await RemoteTeam.LogSizeAsync(http);

        using var answer = await SubmitAsync(body, person);

        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(status == answer.StatusCode, $"expected {status}, got {answer.StatusCode}: {text}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(size, await RemoteTeam.LogSizeAsync(http));
    }

    public Task<HttpResponseMessage> SubmitAsync(byte[] envelope, string person) =>
        SendAsync(HttpMethod.Post, "api/rollproof/v1/entries", person, new ByteArrayContent(envelope) { Headers = { ContentType = new("application/json") } });

    /// <summary>A request presenting <paramref name="person"/>'s token, as their CLI sends it.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string person, HttpContent? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        request.Headers.Authorization = new("Bearer", team.Tokens[person]);
        return await http.SendAsync(request);
    }
}
