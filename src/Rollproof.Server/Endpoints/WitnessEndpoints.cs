using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Server.Access;
using Rollproof.Server.Witnessing;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// C2SP tlog-witness, when the server was started with <c>--witness</c>: <c>POST /add-checkpoint</c>, open to anyone
/// as the specification has it (the log's signature on the checkpoint is the only authentication), and the monitoring
/// read <c>GET /{sha256(origin)}/checkpoint</c>.
/// </summary>
public static partial class WitnessEndpoints
{
    public static IEndpointRouteBuilder MapWitnessEndpoints(this IEndpointRouteBuilder app)
    {
        // Resolving it here also makes the container own it, so the app's disposal releases the state lock.
        if (app.ServiceProvider.GetService<WitnessService>() is null)
            return app;
        app.MapPost("/add-checkpoint", async (HttpContext http, WitnessService witness, CancellationToken cancellation) =>
        {
            var body = await BoundedBody.ReadAsync(http.Request, AddCheckpointRequest.MaxSize, "body", cancellation);
            var outcome = body.IsOk ? witness.Witness.AddCheckpoint(body.Value) : WitnessOutcome.Refused(WitnessStatus.Malformed, body.Problem);
            http.Response.StatusCode = (int)outcome.Status;
            http.Response.ContentType = outcome.ContentType;
            await http.Response.Body.WriteAsync(outcome.Body, cancellation);
        }).Allow(EndpointAccess.Public);
        app.MapGet("/{originHash}/checkpoint", (string originHash, WitnessService witness) =>
        {
            if (!OriginHash().IsMatch(originHash))
                return Results.NotFound();
            var latest = witness.Witness.Latest(originHash);
            if (!latest.IsOk)
                return Results.Text(latest.Problem + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            return latest.Value is { } note ? Results.Bytes(note, "text/plain; charset=utf-8") : Results.NotFound();
        }).Allow(EndpointAccess.Public);
        return app;
    }

    [GeneratedRegex(@"\A[0-9a-f]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex OriginHash();
}
