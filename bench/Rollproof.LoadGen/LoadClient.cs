namespace Rollproof.LoadGen;

/// <summary>One HTTP client for all the simulated clients, with a connection for each so none waits on another's.</summary>
public static class LoadClient
{
    public static HttpClient Create(Uri baseAddress, int clients) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
}
