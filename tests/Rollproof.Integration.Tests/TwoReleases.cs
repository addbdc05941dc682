using System.Net;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Two loopback HTTP services standing in for two releases: one answers "1.0", the other "1.1" (or 500 when told to
/// fail), so a test can count which release a router sends each request to.
/// </summary>
public sealed class TwoReleases : IDisposable
{
    private readonly LoopbackHttp _v10;
    private readonly LoopbackHttp _v11;
    private volatile bool _v11Fails;

    public TwoReleases()
    {
        _v10 = new LoopbackHttp(call => AnswerAsync(call, "1.0", failing: false));
        _v11 = new LoopbackHttp(call => AnswerAsync(call, "1.1", _v11Fails));
    }

    public int V10Port => _v10.Port;

    public int V11Port => _v11.Port;

    public void FailV11() => _v11Fails = true;

    /// <summary>
    /// What answers <paramref name="count"/> requests for <paramref name="path"/> to <paramref name="port"/> (the body, or
    /// the status when not 2xx), each on a new connection so the router balances every one.
    /// </summary>
    public static async Task<List<string>> RequestsAsync(int port, int count, string path = "/")
    {
        var answers = new List<string>();
        using var http = new HttpClient();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}");
            request.Headers.ConnectionClose = true;
            using var response = await http.SendAsync(request);
            answers.Add(response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return answers;
    }

    public void Dispose()
    {
        _v10.Dispose();
        _v11.Dispose();
    }

    private static async Task AnswerAsync(HttpListenerContext call, string version, bool failing)
    {
        call.Response.StatusCode = failing ? 500 : 200;
        await call.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(version));
    }
}
