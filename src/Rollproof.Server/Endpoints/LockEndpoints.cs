using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Runbooks;
using Rollproof.Server.Access;
using Rollproof.Server.Locks;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// An environment's rollback lock, held here for clients that execute with <c>--server</c>
/// (<see cref="EnvironmentLeases"/>): <c>GET /api/rollproof/v1/locks/{environment}</c> shows it (404: not locked);
/// <c>POST</c> takes it, <c>POST …/renew</c> extends the running client's lease, <c>POST …/end</c> ends it when the run stops (the lock
/// stays, to resume or override), <c>POST …/release</c> releases it
/// (only the actor who took it), <c>POST …/override</c> applies an admin's logged override.
/// </summary>
public static class LockEndpoints
{
    private const string Route = "/api/rollproof/v1/locks/{environment}";

    public static IEndpointRouteBuilder MapLockEndpoints(this IEndpointRouteBuilder app)
    {
        var leases = app.ServiceProvider.GetRequiredService<EnvironmentLeases>();
        app.MapGet(Route, (string environment) => Answer(leases.Show(environment))).Allow(EndpointAccess.Reader);
        app.MapPost(Route, (string environment, ActorContext actor, HttpContext http) =>
            WithBodyAsync<LockRequest>(http, asked => leases.Acquire(environment, asked, actor.Name))).Allow(EndpointAccess.Actor);
        app.MapPost(Route + "/renew", (string environment, ActorContext actor, HttpContext http) =>
            WithBodyAsync<LockRequest>(http, asked => leases.Renew(environment, asked, actor.Name))).Allow(EndpointAccess.Actor);
        app.MapPost(Route + "/end", (string environment, ActorContext actor, HttpContext http) =>
            WithBodyAsync<LockRequest>(http, asked => leases.EndRun(environment, asked, actor.Name))).Allow(EndpointAccess.Actor);
        app.MapPost(Route + "/release", (string environment, ActorContext actor, HttpContext http) =>
            WithBodyAsync<LockRequest>(http, asked => leases.Release(environment, asked, actor.Name))).Allow(EndpointAccess.Actor);
        app.MapPost(Route + "/override", (string environment, HttpContext http) =>
            WithBodyAsync<LockOverrideRequest>(http, asked => leases.Override(environment, asked))).Allow(EndpointAccess.Actor);
        return app;
    }

    private static async Task<IResult> WithBodyAsync<T>(HttpContext http, Func<T, Result<LockAnswer?>> act) where T : class
    {
        var body = await BoundedBody.ReadAsync(http.Request, LockAnswer.MaxSize, "body", http.RequestAborted);
        if (!body.IsOk)
            return ProblemAnswers.From(body.Problem);
        T? asked;
        try
        {
            asked = JsonSerializer.Deserialize<T>(body.Value, PredicateJson.Options);
        }
        catch (JsonException e)
        {
            return ApiProblem.Result(StatusCodes.Status400BadRequest, ErrorCodes.RequestMalformed, $"body: not the JSON this endpoint takes: {e.Message}", e.Path ?? "$");
        }
        return asked is null
            ? ApiProblem.Result(StatusCodes.Status400BadRequest, ErrorCodes.RequestMalformed, "body: null", "$")
            : Answer(act(asked));
    }

    private static IResult Answer(Result<LockAnswer?> answer) =>
        !answer.IsOk ? ProblemAnswers.From(answer.Problem)
        : answer.Value is { } shown ? Results.Json(shown, PredicateJson.Options)
        : Results.NotFound();
}
