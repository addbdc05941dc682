using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rollproof.Server.Access;

namespace Rollproof.Server.Endpoints;

/// <summary><c>GET /api/rollproof/v1/whoami</c>: who the server takes a token for, and what that name may sign now.</summary>
public static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccessEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/rollproof/v1/whoami", (ActorContext actor) => Results.Json(new
        {
            name = actor.Name,
            auditor = actor.Auditor,
            keyId = actor.Key?.Key.KeyId,
            kinds = actor.Kinds.Order(StringComparer.Ordinal),
        })).Allow(EndpointAccess.Reader);
        return app;
    }
}
