using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rollproof.Common;
using Rollproof.Server.Access;
using Rollproof.Sigstore.Rekor;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// The Rekor v1 API shape, so stock Sigstore clients (sigstore-js, cosign, sigstore-python) log to this server and
/// read back what they logged: create an entry (<c>hashedrekord</c> or <c>dsse</c> 0.0.1), entries by index, by UUID
/// and in bulk, the log's info and public key. Entries go through the server's single log writer like every other
/// append; bad input is a 4xx problem+json whose detail names the field.
/// </summary>
public static class RekorEndpoints
{
    private const string Entries = "/api/v1/log/entries";

    public static IEndpointRouteBuilder MapRekorEndpoints(this IEndpointRouteBuilder app)
    {
        var log = app.ServiceProvider.GetRequiredService<LogService>();
        var clock = app.ServiceProvider.GetRequiredService<TimeProvider>();
        var index = RekorEntryIndex.For(log.Store.Log);
        app.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(index.Dispose);
        var rekor = new RekorLog(log.Store.Log, index, async (body, _) =>
        {
            try
            {
                return await log.Store.Log.AppendAsync(body, clock);
            }
            // An entry withheld for want of witnesses (EntryWithheldException) is the server's 503 with Retry-After.
            catch (ProblemException e)
            {
                return e.Problem;
            }
        });

        // Stock Sigstore clients send no credentials: what they may log is bounded by what a Rekor entry can say
        // (a verified signature, logged as hashes), never a Rollproof statement.
        app.MapPost(Entries, async (HttpRequest request, CancellationToken cancellation) =>
        {
            var body = await BoundedBody.ReadAsync(request, RekorProposedEntry.MaxSize, "body", cancellation);
            if (!body.IsOk)
                return Problem(body.Problem);
            var created = await rekor.CreateAsync(body.Value, cancellation);
            if (!created.IsOk)
                return Problem(created.Problem);
            var location = $"{Entries}/{created.Value.EntryId}";
            if (created.Value.Existed)
            {
                request.HttpContext.Response.Headers.Location = location;
                return Problem(new Problem(ErrorCodes.RekorEntryExists, $"an equivalent entry is already logged as {created.Value.EntryId}"));
            }
            request.HttpContext.Response.Headers.ETag = $"\"{created.Value.EntryId}\"";
            return Results.Created(location, created.Value.Entry);
        }).Allow(EndpointAccess.Public);
        app.MapGet(Entries, (string? logIndex) =>
            long.TryParse(logIndex, NumberStyles.None, CultureInfo.InvariantCulture, out var at)
                ? Answer(rekor.ByIndex(at).Map(a => a.Entry))
                : Problem(new Problem(ErrorCodes.RekorEntryMalformed, $"logIndex: '{logIndex}' is not a log index (a non-negative integer)"))).Allow(EndpointAccess.Public);
        app.MapGet(Entries + "/{entryUUID}", (string entryUUID) => Answer(rekor.ByEntryId(entryUUID).Map(a => a.Entry))).Allow(EndpointAccess.Public);
        app.MapPost(Entries + "/retrieve", async (HttpRequest request, CancellationToken cancellation) =>
        {
            var body = await BoundedBody.ReadAsync(request, 64 * 1024, "body", cancellation);
            return body.IsOk ? Answer(rekor.Retrieve(body.Value)) : Problem(body.Problem);
        }).Allow(EndpointAccess.Public);
        app.MapGet("/api/v1/log", () => Answer(rekor.Info())).Allow(EndpointAccess.Public);
        app.MapGet("/api/v1/log/publicKey", () => Results.Text(rekor.PublicKeyPem(), "application/x-pem-file")).Allow(EndpointAccess.Public);
        return app;
    }

    private static IResult Answer<T>(Result<T> answer) => answer.IsOk ? Results.Json(answer.Value) : Problem(answer.Problem);

    private static IResult Problem(Problem problem)
    {
        var status = problem.Code switch
        {
            ErrorCodes.RekorEntryMalformed or ErrorCodes.RekorSignatureInvalid => StatusCodes.Status400BadRequest,
            ErrorCodes.InputTooLarge => StatusCodes.Status413PayloadTooLarge,
            ErrorCodes.RekorEntryNotFound => StatusCodes.Status404NotFound,
            ErrorCodes.RekorEntryExists => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status500InternalServerError,
        };
        // A fault of the log itself (a damaged tile, say) is the operator's to look into: its code, not its paths.
        var detail = status == StatusCodes.Status500InternalServerError ? $"the log could not answer ({problem.Code})" : problem.Message;
        return Results.Problem(detail, statusCode: status, title: problem.Code, extensions: new Dictionary<string, object?> { ["code"] = problem.Code });
    }
}
