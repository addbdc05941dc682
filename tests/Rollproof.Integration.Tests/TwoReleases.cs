using System.Net;
using System.Net.Sockets;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Two loopback HTTP services standing in for two releases: one answers "1.0", the other "1.1" (or 500 when told to
/// fail), so a test can count which release a router sends each request to.
/// </summary>
public sealed class TwoReleases : IDisposable
{
    private readonly HttpListener _v10 = new();
    private readonly HttpListener _v11 = new();
    private volatile bool _v11Fails;

    public TwoReleases()
    {
        V10Port = Serve(_v10, "1.0", () => false);
        V11Port = Serve(_v11, "1.1", () => _v11Fails);
    }

    public int V10Port { get; }

    public int V11Port { get; }

    public void FailV11() => _v11Fails = true;

    /// <summary>What answers <paramref name="count"/> requests to <paramref name="port"/>, each on a new connection so the router balances every one.</summary>
    public static async Task<List<string>> RequestsAsync(int port, int count)
    {
        var answers = new List<string>();
        using var http = new HttpClient();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
            request.Headers.ConnectionClose = true;
            using var response = await http.SendAsync(request);
            answers.Add(response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return answers;
    }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _v10.Close();
        _v11.Close();
    }

    private static int Serve(HttpListener listener, string version, Func<bool> failing)
    {
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext call;
                try
                {
                    call = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                call.Response.StatusCode = failing() ? 500 : 200;
                await call.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(version));
                call.Response.Close();
            }
        });
        return port;
    }
}
