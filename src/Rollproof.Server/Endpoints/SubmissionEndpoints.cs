using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Server.Access;
using Rollproof.Transparency;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// <c>POST /api/rollproof/v1/entries</c>: a DSSE envelope of a Rollproof statement, signed by the client, verified on
/// the library's one trust path (<see cref="StatementIntake"/>) and only then logged; the answer comes once a
/// checkpoint covers it. <c>GET /api/rollproof/v1/timestamps/{index}</c>: an entry's signed entry timestamp, part of
/// what the log publishes.
/// </summary>
public static class SubmissionEndpoints
{
    public static IEndpointRouteBuilder MapSubmissionEndpoints(this IEndpointRouteBuilder app)
    {
        var log = app.ServiceProvider.GetRequiredService<LogService>();
        var intake = app.ServiceProvider.GetRequiredService<StatementIntake>();
        var check = app.ServiceProvider.GetRequiredService<ISubmitterCheck>();
        app.MapPost("/api/rollproof/v1/entries", async (HttpContext http) =>
        {
            var body = await BoundedBody.ReadAsync(http.Request, EntryBundle.MaxEntrySize, "envelope", http.RequestAborted);
            if (!body.IsOk)
                return ProblemAnswers.From(body.Problem);
            var submitted = await intake.SubmitAsync(body.Value, signer => check.Check(http, signer), http.RequestAborted);
            return submitted.IsOk ? Results.Json(Answer(submitted.Value)) : ProblemAnswers.From(submitted.Problem);
        }).Allow(EndpointAccess.Actor);
        app.MapGet("/api/rollproof/v1/timestamps/{index:long}", (long index) =>
        {
            var size = log.Store.Log.ReadCheckpoint();
            if (!size.IsOk || index < 0 || index >= size.Value.Checkpoint.Size)
                return Results.NotFound();
            var stamp = log.Store.Log.Timestamps.Read(index);
            return stamp is { IsOk: true, Value: { } kept } ? Results.Json(new { integratedTime = kept.IntegratedTime, signature = kept.Signature }) : Results.NotFound();
        }).Allow(EndpointAccess.Public);
        return app;
    }

    private static object Answer(SubmittedStatement logged) => new
    {
        index = logged.Index,
        kind = logged.Kind,
        signer = new { keyId = logged.SignerKeyId, name = logged.SignerName },
        signedEntryTimestamp = new { integratedTime = logged.Timestamp.IntegratedTime, signature = logged.Timestamp.Signature },
        checkpoint = System.Text.Encoding.UTF8.GetString(logged.Receipt.SignedCheckpoint),
        inclusionProof = logged.Receipt.InclusionProof,
        tlogProof = logged.Receipt.Format(),
    };
}
