namespace Rollproof.LoadGen;

/// <summary>
/// The simulated clients' HTTP clients, one connection each: HTTP/1.1 (one request at a time per connection), or with
/// <paramref name="http2"/> HTTP/2 without TLS (prior knowledge, h2c), whose streams share the connection.
/// </summary>
public static class LoadClient
{
    public static HttpClient[] Create(Uri baseAddress, int clients, bool http2 = false) =>
        [.. Enumerable.Range(0, clients).Select(_ => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = http2 ? System.Net.HttpVersion.Version20 : System.Net.HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        })];
}
