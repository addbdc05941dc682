using System.Net;
using Rollproof.Common;

namespace Rollproof.Server.Tests.Access;

/// <summary>A server allowing 3 requests a minute per actor and per anonymous address.</summary>
public sealed class RateLimitedServer : AccessServer
{
    public const int PerMinute = 3;

    protected override ServerOptions Configure(ServerOptions options) => options with { TokenRateLimit = PerMinute, AnonymousRateLimit = PerMinute };
}

/// <summary>Rate limits count per actor (one actor's flood does not stop another) and per address without a token.</summary>
public sealed class RateLimitTests(RateLimitedServer server) : IClassFixture<RateLimitedServer>
{
    // Budgets refill once a minute: even if a refill falls inside a burst, twice the budget plus one cannot all pass.
    private const int Burst = 2 * RateLimitedServer.PerMinute + 1;

    [Fact]
    public async Task An_actor_over_its_limit_gets_429_with_retry_after_and_others_are_unaffected()
    {
        using var http = new HttpClient();
        var limited = await Flood(http, "operator");
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains(ErrorCodes.RateLimited, await limited.Content.ReadAsStringAsync());
        using var other = await http.SendAsync(server.Request(HttpMethod.Get, "api/rollproof/v1/whoami", "approver"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_limited_per_address_bad_tokens_included()
    {
        using var http = new HttpClient();
        var limited = await Flood(http, "unknown");
        Assert.NotNull(limited);
        using var anonymous = await http.SendAsync(server.Request(HttpMethod.Get, "checkpoint", "none"));
        Assert.Equal(HttpStatusCode.TooManyRequests, anonymous.StatusCode);
    }

    private async Task<HttpResponseMessage?> Flood(HttpClient http, string caller)
    {
        for (var i = 0; i < Burst; i++)
        {
            var response = await http.SendAsync(server.Request(HttpMethod.Get, "api/rollproof/v1/whoami", caller));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                return response;
            response.Dispose();
        }
        return null;
    }
}
