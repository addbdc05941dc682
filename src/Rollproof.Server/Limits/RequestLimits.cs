using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Rollproof.Server.Limits;

/// <summary>
/// The bounds on what one request may carry, applied by Kestrel before any endpoint reads it: a statement is at most
/// a log entry (64 KiB), so a body four times that covers its JSON wrapping with room to spare; an endpoint that
/// takes more says so with <see cref="LimitRequestBody{TBuilder}"/>.
/// </summary>
public static class RequestLimits
{
    public const long MaxBodyBytes = 256 * 1024;

    /// <summary>How deep any JSON the server parses may nest; a statement's JSON needs a handful of levels.</summary>
    public const int MaxJsonDepth = 32;

    public static void Apply(KestrelServerLimits limits)
    {
        limits.MaxRequestBodySize = MaxBodyBytes;
        limits.MaxRequestLineSize = 8 * 1024;
        limits.MaxRequestHeadersTotalSize = 16 * 1024;
        limits.MaxRequestHeaderCount = 50;
    }

    /// <summary>Lets one endpoint take bodies up to <paramref name="bytes"/> (e.g. artifact uploads), in place of <see cref="MaxBodyBytes"/>.</summary>
    public static TBuilder LimitRequestBody<TBuilder>(this TBuilder endpoint, long bytes) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new BodySizeLimit(bytes));

    private sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
