using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rollproof.Server.Access;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// C2SP tlog-tiles reads from the log's storage: the checkpoint (mutable, cached for a second at most) and
/// tiles and entry bundles (immutable once written, partial ones included, so cached for a year, and kept in memory).
/// </summary>
public static partial class TileEndpoints
{
    private const string Immutable = "public, max-age=31536000, immutable";

    // 64 MiB: some 8,000 full hash tiles, or the newest few hundred thousand entries' bundles at 1 KiB an entry.
    private const long CacheBudget = 64L << 20;

    public static IEndpointRouteBuilder MapTileEndpoints(this IEndpointRouteBuilder app)
    {
        var cache = new ImmutableResourceCache(CacheBudget);
        app.MapGet("/checkpoint", (LogService log, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(log.Writer.LatestCheckpoint, "text/plain; charset=utf-8");
        }).Allow(EndpointAccess.Public);
        app.MapGet("/tile/{**path}", (string path, LogService log, HttpContext http) =>
        {
            var resource = "tile/" + path;
            // Only the spec's own paths are read, so nothing else in the log directory is ever served.
            if (!ResourcePath().IsMatch(resource) || cache.GetOrRead(resource, log.Store.Log.Storage.Read) is not { } bytes)
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
