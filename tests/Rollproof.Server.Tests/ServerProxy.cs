using System.Net;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>
/// A server as a client may meet it: a loopback address that forwards every request (with its token) to <see cref="Backend"/> (which
/// the test may swap for another server behind the same address), and, with <see cref="TamperBlobs"/>, answers every
/// blob read with other bytes. While the backend is down it answers 502.
/// </summary>
public sealed class ServerProxy : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(1) };
    private readonly LoopbackHttp _listener;

    public ServerProxy(Uri backend)
    {
        Backend = backend;
        _listener = new LoopbackHttp(ForwardAsync);
        Url = new Uri($"http://127.0.0.1:{_listener.Port}/");
    }

    public Uri Url { get; }

    public Uri Backend { get; set; }

    public bool TamperBlobs { get; set; }

    private async Task ForwardAsync(HttpListenerContext call)
    {
        var path = call.Request.Url!.PathAndQuery;
        if (TamperBlobs && call.Request.HttpMethod == "GET" && path.Contains("/blobs/", StringComparison.Ordinal))
        {
            await call.Response.OutputStream.WriteAsync("not the bytes you asked for"u8.ToArray());
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(call.Request.HttpMethod), new Uri(Backend, path));
        if (call.Request.Headers["Authorization"] is { } authorization)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (call.Request.HasEntityBody)
        {
            using var body = new MemoryStream();
            await call.Request.InputStream.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            request.Content.Headers.TryAddWithoutValidation("Content-Type", call.Request.ContentType);
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            call.Response.StatusCode = (int)HttpStatusCode.BadGateway;
            return;
        }
        using var answered = response;
        call.Response.StatusCode = (int)response.StatusCode;
        call.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (call.Request.HttpMethod != "HEAD")
            await call.Response.OutputStream.WriteAsync(bytes);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _http.Dispose();
    }
}
