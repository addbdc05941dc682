using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Server.Access;
using Rollproof.Server.Limits;

namespace Rollproof.Server;

/// <summary>
/// What every request goes through before an endpoint sees it, in this order: failures become problem+json
/// (never a stack trace), the endpoint is chosen, the caller identified from its token, the caller's rate limit
/// counted, and the endpoint's access declaration enforced.
/// </summary>
internal static class RequestPipeline
{
    public static void AddServices(IServiceCollection services, ServerOptions options, TokenRegistry tokens)
    {
        services.AddSingleton(tokens);
        services.AddSingleton<TrustedActors>();
        services.AddSingleton<ISubmitterCheck, TokenSubmitterCheck>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ExceptionProblems>();
        // A request minimal APIs cannot bind throws, so ExceptionProblems can name the field instead of a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.MaxDepth = RequestLimits.MaxJsonDepth);
        services.AddRateLimiter(o => RateLimits.Configure(o, options));
    }

    public static void Use(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseCallerIdentity();
        app.UseRateLimiter();
        app.UseEndpointAccess();
    }
}
