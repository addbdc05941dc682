using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rollproof.Server.Access;
using Rollproof.Storage;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: it can do its job, the published checkpoint on disk verifies
/// with the log's key and is the one the writer last published (a store edited under a running server is not ready),
/// and with <c>serve --witnesses</c>, the latest checkpoint gathered its witness quorum (else appends get 503).
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n")).Allow(EndpointAccess.Public);
        app.MapGet("/readyz", (LogService log) =>
        {
            if (log.Witnesses?.QuorumMissing is { } missing)
                return Results.Text($"not ready: {missing.Code} {missing.Message}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            var stored = LogDirectory.ReadCheckpoint(log.Store.Log.Storage, log.Store.Log.Verifier);
            if (!stored.IsOk)
                return Results.Text($"not ready: {stored.Problem.Code} {stored.Problem.Message}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            return stored.Value.Note.ToBytes().AsSpan().SequenceEqual(log.Writer.LatestCheckpoint)
                ? Results.Text($"ready: {stored.Value.Checkpoint.Size} entries\n")
                : Results.Text("not ready: the checkpoint on disk is not the one this server published\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }).Allow(EndpointAccess.Public);
        return app;
    }
}
