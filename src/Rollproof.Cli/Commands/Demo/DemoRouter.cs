using System.Net;
using System.Net.Sockets;
using Rollproof.Common;
using Rollproof.Traffic;

namespace Rollproof.Cli.Commands.Demo;

/// <summary>
/// The demo's traffic router: a real haproxy on loopback with its admin socket. Backend <c>app</c> has the two release
/// slots (<c>blue</c>, <c>green</c>) and <c>hold</c>, a responder answering 503 with Retry-After, so that traffic not
/// yet let back in after a pause keeps being told to come back later while the canary re-introduces the rest.
/// </summary>
internal sealed class DemoRouter : IDisposable
{
    private readonly HaproxyProcess _haproxy;

    private DemoRouter(HaproxyProcess haproxy, int port, int blue, int green)
    {
        _haproxy = haproxy;
        Port = port;
        BluePort = blue;
        GreenPort = green;
    }

    public string Socket => _haproxy.Socket;

    public int Port { get; }

    public int BluePort { get; }

    public int GreenPort { get; }

    public HaproxyAdmin Admin => new(Socket);

    public static Result<DemoRouter> Start(string dir)
    {
        Directory.CreateDirectory(dir);
        // Unix socket paths are limited to 108 bytes, and a workdir can be deep: the socket lives in /tmp.
        var socket = Path.Combine(Path.GetTempPath(), $"rollproof-demo-{Guid.NewGuid():N}"[..26] + ".sock");
        var (port, blue, green, hold) = (FreePort(), FreePort(), FreePort(), FreePort());
        var config = Path.Combine(dir, "haproxy.cfg");
        File.WriteAllText(Path.Combine(dir, "503.http"), "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\npaused for a rollback, retry later\n");
        File.WriteAllText(config, $"""
            global
              stats socket {socket} mode 600 level admin
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
              errorfile 503 {Path.Combine(dir, "503.http")}
            frontend web
              bind 127.0.0.1:{port}
              default_backend app
            backend app
              balance roundrobin
              server blue 127.0.0.1:{blue} weight 0
              server green 127.0.0.1:{green} weight 0
              server hold 127.0.0.1:{hold} weight 0
            listen hold
              bind 127.0.0.1:{hold}
              http-request return status 503 content-type text/plain string "paused for a rollback, retry later" hdr Retry-After 5

            """);
        var haproxy = HaproxyProcess.Start(config, socket);
        return haproxy.IsOk ? Result<DemoRouter>.Ok(new DemoRouter(haproxy.Value, port, blue, green)) : haproxy.Problem;
    }

    /// <summary>Sends all traffic to one server of the backend, the others at weight 0.</summary>
    public async Task<Problem?> SendAllToAsync(string server, CancellationToken cancellation)
    {
        foreach (var other in (string[])["blue", "green", "hold"])
            if (await Admin.SetWeightAsync("app", other, other == server ? 100 : 0, cancellation) is { } refused)
                return refused;
        return null;
    }

    public void Dispose() => _haproxy.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
