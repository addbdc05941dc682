using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Common;

namespace Rollproof.Server.Access;

/// <summary>
/// The one place endpoint declarations are enforced, in two steps around the rate limiter: identify the caller from
/// its token (so limits count per actor, and anonymous callers per address), then hold the request to its
/// endpoint's <see cref="EndpointAccess"/>: 401 without a valid token, 403 for a name the trust does not let in.
/// </summary>
public static class AccessChecks
{
    public static IApplicationBuilder UseCallerIdentity(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var identity = CallerIdentity.Identify(http, http.RequestServices.GetRequiredService<TokenRegistry>(), http.RequestServices.GetRequiredService<TrustedActors>());
        http.Features.Set(identity);
        if (identity.Actor is { } actor)
            http.Features.Set(actor);
        return next(http);
    });

    public static IApplicationBuilder UseEndpointAccess(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Only mapped endpoints are held to a declaration; the framework's own answers (404, 405) carry none.
        if (http.GetEndpoint() is not RouteEndpoint endpoint)
            return next(http);
        if (endpoint.Metadata.GetMetadata<EndpointAccess>() is not { } access)
            return ApiProblem.WriteAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.EndpointUndeclared, "this endpoint declares no access, so no one may call it");
        if (!access.TokenRequired)
            return next(http);
        if (ActorContext.Of(http) is not { } actor)
            return http.Features.GetRequiredFeature<CallerIdentity>().Refusal(http);
        if (access.SignerRequired && actor.Key is null)
            return ApiProblem.WriteAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.ActorNotAllowed, $"'{actor.Name}' holds an auditor's token, which reads only; this endpoint takes statements from a name with a key in the store's trust");
        return next(http);
    });
}
