using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rollproof.Server.Access;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// C2SP tlog-tiles reads, straight from the log's storage: the checkpoint (mutable, cached for a second at most) and
/// tiles and entry bundles (immutable once written, partial ones included, so cached for a year).
/// </summary>
public static partial class TileEndpoints
{
    private const string Immutable = "public, max-age=31536000, immutable";

    public static IEndpointRouteBuilder MapTileEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/checkpoint", (LogService log, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(log.Writer.LatestCheckpoint, "text/plain; charset=utf-8");
        }).Allow(EndpointAccess.Public);
        app.MapGet("/tile/{**path}", (string path, LogService log, HttpContext http) =>
        {
            var resource = "tile/" + path;
            // Only the spec's own paths are read, so nothing else in the log directory is ever served.
            if (!ResourcePath().IsMatch(resource) || log.Store.Log.Storage.Read(resource) is not { } bytes)
                return Results.NotFound();
            http.Response.Headers.CacheControl = Immutable;
            return Results.Bytes(bytes, "application/octet-stream");
        }).Allow(EndpointAccess.Public);
        return app;
    }

    // tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>]: L 0-63, N in x-prefixed 3-digit elements, W 1-255, no leading zeroes.
    [GeneratedRegex(@"\Atile/(entries|[0-9]|[1-5][0-9]|6[0-3])/(x[0-9]{3}/)*[0-9]{3}(\.p/([1-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5]))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourcePath();
}
