using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Rollproof.Server;

/// <summary>A started server: where it listens; disposing it stops it, then closes the log's writer.</summary>
public sealed class RunningServer(WebApplication app, LogService log, Uri address) : IAsyncDisposable
{
    /// <summary>The address it serves, with the port it was given when asked for port 0.</summary>
    public Uri Address { get; } = address;

    public LogService Log { get; } = log;

    /// <summary>Every endpoint it maps, as routing sees them: what the access and bad-input tests enumerate.</summary>
    public IReadOnlyList<RouteEndpoint> Endpoints => [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>The application's services, for tests that enumerate what it maps (its EndpointDataSource).</summary>
    internal IServiceProvider Services => app.Services;

    /// <summary>Completes when the server stops.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellation) => app.WaitForShutdownAsync(cancellation);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        await Log.DisposeAsync();
    }
}
