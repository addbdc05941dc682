using Microsoft.AspNetCore.Routing;
using Rollproof.Common;

namespace Rollproof.Server.Access;

/// <summary>Checked before the server starts: every mapped endpoint declares its <see cref="EndpointAccess"/>.</summary>
public static class EndpointDeclarations
{
    /// <param name="app">The application's routes, read from its own data sources: the service-wide list is only filled once the server starts.</param>
    public static Problem? Undeclared(IEndpointRouteBuilder app)
    {
        var missing = app.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<EndpointAccess>() is null).Select(e => e.DisplayName ?? e.RoutePattern.RawText).ToList();
        return missing.Count == 0
            ? null
            : new Problem(ErrorCodes.EndpointUndeclared, $"endpoints declare no access (.Allow(EndpointAccess.…)): {string.Join(", ", missing)}; the server does not start with an endpoint open by omission");
    }
}
