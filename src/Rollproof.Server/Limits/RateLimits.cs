using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;
using Rollproof.Common;
using Rollproof.Server.Access;

namespace Rollproof.Server.Limits;

/// <summary>
/// Requests per minute, counted per actor for a request with a valid token and per client address otherwise (a
/// wrong token counts against its address, so guessing tokens is throttled too). Each budget is refilled once a
/// minute; over it, 429 with <c>Retry-After</c>. Zero turns a limit off.
/// </summary>
public static class RateLimits
{
    public static void Configure(RateLimiterOptions limiter, ServerOptions options)
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => ActorContext.Of(http) is { } actor
            ? Partition("actor:" + actor.Name, options.TokenRateLimit)
            : Partition("address:" + http.Connection.RemoteIpAddress, options.AnonymousRateLimit));
        limiter.OnRejected = (rejected, _) =>
        {
            var http = rejected.HttpContext;
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
            var seconds = (long)Math.Ceiling(Math.Max(1, wait.TotalSeconds));
            http.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var who = ActorContext.Of(http) is { } actor ? $"'{actor.Name}'" : "this address";
            return new ValueTask(ApiProblem.WriteAsync(http, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, $"{who} made more requests this minute than the server allows; retry after {seconds} s"));
        };
    }

    private static RateLimitPartition<string> Partition(string key, int perMinute) => perMinute == 0
        ? RateLimitPartition.GetNoLimiter(key)
        : RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
