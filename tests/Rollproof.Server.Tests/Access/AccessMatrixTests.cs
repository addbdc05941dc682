using System.Net;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Server.Access;

namespace Rollproof.Server.Tests.Access;

/// <summary>
/// Every endpoint the server maps, called as every kind of caller: none, a header that is not a bearer token, a token
/// the server never minted, a revoked token, a token of each team role, an auditor's, a name the trust never had, and
/// a name the log revoked. Each must get exactly what its endpoint's declaration says.
/// </summary>
public sealed class AccessMatrixTests(AccessServer server) : IClassFixture<AccessServer>
{
    private static readonly string[] NoToken = ["none", "not-bearer", "unknown", "revoked"];
    private static readonly string[] Untrusted = ["stranger", "former"];

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_its_declaration_says()
    {
        var calls = ServedEndpoints.Of(server.Server);
        // The enumeration sees the server's own endpoints, not only the probes this fixture adds.
        Assert.Contains(calls, c => c.Path == "checkpoint");
        Assert.Contains(calls, c => c.Path == "api/rollproof/v1/whoami");
        Assert.Contains(calls, c => c.Access == EndpointAccess.Actor);
        var wrong = new List<string>();
        using var http = new HttpClient();
        foreach (var call in calls)
        {
            foreach (var caller in server.Callers.Keys)
            {
                using var response = await http.SendAsync(server.Request(call.Method, call.Path, caller));
                var expected = Expected(call.Access, caller);
                var code = await ProblemCode(response);
                var status = (int)response.StatusCode;
                var ok = expected is null
                    ? status is not (401 or 403) && status < 500
                    // A HEAD answer has no body to carry the problem's code: its status and headers must say it.
                    : status == expected.Value.Status && (code == expected.Value.Code || call.Method == HttpMethod.Head) && (status != 401 || response.Headers.WwwAuthenticate.Count == 1);
                if (!ok)
                    wrong.Add($"{call} as {caller}: {status} {code}, expected {(expected is { } e ? $"{e.Status} {e.Code}" : "to be let through")}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>What the declaration says this caller gets: a refusal's status and code, or null to be let through.</summary>
    private static (int Status, string Code)? Expected(EndpointAccess access, string caller) =>
        !access.TokenRequired ? null
        : caller == "none" ? (401, ErrorCodes.TokenMissing)
        : NoToken.Contains(caller) ? (401, ErrorCodes.TokenInvalid)
        : Untrusted.Contains(caller) ? (403, ErrorCodes.ActorNotTrusted)
        : caller == "auditor" && access.SignerRequired ? (403, ErrorCodes.ActorNotAllowed)
        : null;

    private static async Task<string?> ProblemCode(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json" || body.Length == 0)
            return null;
        using var problem = JsonDocument.Parse(body);
        return problem.RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    [Theory]
    [InlineData("ci", "release", true)]
    [InlineData("ci", "approval", false)]
    [InlineData("approver", "approval", true)]
    [InlineData("operator", "deployment", true)]
    [InlineData("operator", "key-change", false)]
    [InlineData("admin", "key-change", true)]
    public async Task A_token_submits_only_what_its_own_key_may_sign(string role, string kind, bool allowed)
    {
        using var http = new HttpClient();
        using var own = server.Request(HttpMethod.Post, "probe/sign", role);
        own.Content = JsonContent(new { keyId = server.KeyOf(role).KeyId, kind });
        using var answer = await http.SendAsync(own);
        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, answer.StatusCode);
        if (!allowed)
            Assert.Equal(ErrorCodes.ActorMayNotSign, await ProblemCode(answer));
    }

    [Fact]
    public async Task A_token_cannot_submit_what_another_actors_key_signed_even_of_a_kind_it_may_sign()
    {
        using var http = new HttpClient();
        // Both operator and approver may sign rollback requests; the approver's token still cannot carry the operator's.
        using var request = server.Request(HttpMethod.Post, "probe/sign", "approver");
        request.Content = JsonContent(new { keyId = server.KeyOf("operator").KeyId, kind = "rollback-request" });
        using var answer = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal(ErrorCodes.ActorMayNotSign, await ProblemCode(answer));
    }

    [Fact]
    public async Task Whoami_names_the_tokens_actor_and_what_it_may_sign_and_never_echoes_the_token()
    {
        using var http = new HttpClient();
        using var answer = await http.SendAsync(server.Request(HttpMethod.Get, "api/rollproof/v1/whoami", "approver"));
        var body = await answer.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        Assert.Equal("approver", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(["approval", "review", "rollback-request"], json.RootElement.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.DoesNotContain(server.Callers["approver"]!["Bearer ".Length..], body);
    }

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
