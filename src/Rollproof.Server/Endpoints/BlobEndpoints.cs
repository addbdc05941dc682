using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rollproof.Common;
using Rollproof.Server.Access;
using Rollproof.Server.Limits;
using Rollproof.Storage;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// The store's blobs by digest (<c>/api/rollproof/v1/blobs/sha256:HEX</c>): <c>PUT</c> stores a body whose SHA-256,
/// computed here, is the one named (anything else is refused and kept nowhere), idempotently; <c>GET</c> and
/// <c>HEAD</c> read one, checked against its digest by the store. Writes for actors, reads for any token holder
/// (auditors included), never the world: besides releases, blobs hold SBOMs and database snapshots.
/// </summary>
public static class BlobEndpoints
{
    private const string Route = "/api/rollproof/v1/blobs/{digest}";

    public static IEndpointRouteBuilder MapBlobEndpoints(this IEndpointRouteBuilder app)
    {
        var log = app.ServiceProvider.GetRequiredService<LogService>();
        var limit = app.ServiceProvider.GetRequiredService<ServerOptions>().MaxBlobSize;
        var artifacts = log.Store.Artifacts;
        app.MapPut(Route, async (string digest, HttpContext http) =>
        {
            var named = Sha256Digest.Parse(digest);
            if (!named.IsOk)
                return ProblemAnswers.From(named.Problem with { Message = $"digest: {named.Problem.Message}" });
            if (await artifacts.ExistsAsync(named.Value, http.RequestAborted))
                return Results.Ok(new { digest = named.Value.ToString() });
            if (http.Request.ContentLength > limit)
                return ProblemAnswers.From(new Problem(ErrorCodes.InputTooLarge, $"body: {http.Request.ContentLength} bytes, more than a blob may be here ({limit})"));
            var stored = await StoreCheckedAsync(artifacts, log.Store.Root, named.Value, http.Request.Body, limit, http.RequestAborted);
            return stored is null ? Results.Created((string?)null, new { digest = named.Value.ToString() }) : ProblemAnswers.From(stored);
        }).Allow(EndpointAccess.Actor).LimitRequestBody(limit);
        app.MapGet(Route, async (string digest, HttpContext http) =>
        {
            var named = Sha256Digest.Parse(digest);
            if (!named.IsOk)
                return ProblemAnswers.From(named.Problem with { Message = $"digest: {named.Problem.Message}" });
            var opened = await artifacts.OpenAsync(named.Value, http.RequestAborted);
            if (!opened.IsOk)
                return opened.Problem.Code == ErrorCodes.BlobMissing ? Results.NotFound() : ProblemAnswers.From(opened.Problem);
            http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
            return Results.Stream(opened.Value, "application/octet-stream");
        }).Allow(EndpointAccess.Reader);
        app.MapMethods(Route, [HttpMethods.Head], async (string digest, HttpContext http) =>
            Sha256Digest.Parse(digest) is { IsOk: true } named && await artifacts.ExistsAsync(named.Value, http.RequestAborted)
                ? Results.Ok()
                : Results.NotFound()).Allow(EndpointAccess.Reader);
        return app;
    }

    // Hashed on the way to a private file, stored only if it is the blob named.
    private static async Task<Problem?> StoreCheckedAsync(IArtifactStore artifacts, string storeRoot, Sha256Digest named, Stream body, long limit, CancellationToken cancellation)
    {
        var uploads = Path.Combine(storeRoot, ".rollproof", "uploads");
        Directory.CreateDirectory(uploads);
        var temp = Path.Combine(uploads, Guid.NewGuid().ToString("N"));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var chunk = new byte[1 << 16];
                int read;
                long total = 0;
                while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
                {
                    total += read;
                    if (total > limit)
                        return new Problem(ErrorCodes.InputTooLarge, $"body: more than a blob may be here ({limit} bytes)");
                    hash.AppendData(chunk, 0, read);
                    await file.WriteAsync(chunk.AsMemory(0, read), cancellation);
                }
            }
            var actual = Sha256Digest.FromHash(hash.GetHashAndReset());
            if (actual != named)
                return new Problem(ErrorCodes.BlobCorrupt, $"body: its bytes hash to {actual}, not to the {named} the path names; nothing was stored");
            await using var upload = File.OpenRead(temp);
            await artifacts.PutAsync(upload, cancellation);
            return null;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
