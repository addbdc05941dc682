using System.Net;
using System.Net.Sockets;

namespace Rollproof.Testing;

/// <summary>A small HTTP service on a free loopback port, answering every request with the test's handler, until disposed.</summary>
public sealed class LoopbackHttp : IDisposable
{
    private readonly HttpListener _listener = new();

    public LoopbackHttp(Func<HttpListenerContext, Task> handle)
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext call;
                try
                {
                    call = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                await handle(call);
                call.Response.Close();
            }
        });
    }

    public int Port { get; }

    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => _listener.Close();
}
