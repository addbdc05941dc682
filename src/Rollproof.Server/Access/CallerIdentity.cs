using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Rollproof.Common;

namespace Rollproof.Server.Access;

/// <summary>
/// Who the request's token says the caller is, found before rate limiting (so limits count per actor) and before
/// the endpoint's declaration is enforced. A caller without a valid token is anonymous here; <see cref="Refusal"/>
/// says what an endpoint that needs a token answers it. The token itself is never kept, logged or echoed.
/// </summary>
internal sealed record CallerIdentity(ActorContext? Actor, int Status, string Code, string Detail)
{
    private const string Scheme = "Bearer ";

    public static CallerIdentity Identify(HttpContext http, TokenRegistry tokens, TrustedActors actors)
    {
        var headers = http.Request.Headers.Authorization;
        if (headers.Count == 0)
            return Refused(StatusCodes.Status401Unauthorized, ErrorCodes.TokenMissing, "this endpoint needs an API token: send 'Authorization: Bearer TOKEN' (an operator mints one with 'rollproof server token add')");
        if (headers.Count > 1 || headers[0] is not { } header || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            || header.Length == Scheme.Length || header.Length > Scheme.Length + ApiToken.MaxLength)
            return Refused(StatusCodes.Status401Unauthorized, ErrorCodes.TokenInvalid, "the Authorization header must be one 'Bearer TOKEN'");
        if (tokens.Find(header[Scheme.Length..]) is not { } entry)
            return Refused(StatusCodes.Status401Unauthorized, ErrorCodes.TokenInvalid, "the token is not one this server holds: revoked, mistyped, or minted for another server");
        if (entry.Auditor)
            return Admitted(new ActorContext(entry.Name, null, auditor: true));
        var key = actors.KeyOf(entry.Name);
        if (!key.IsOk)
            return Refused(StatusCodes.Status503ServiceUnavailable, key.Problem.Code, $"the trust the store's log establishes cannot be worked out, so no token is honoured: {key.Problem.Message}");
        if (key.Value is { } trusted)
            return Admitted(new ActorContext(entry.Name, trusted, auditor: false));
        return !actors.Bootstrapped()
            ? Refused(StatusCodes.Status403Forbidden, ErrorCodes.TrustNotBootstrapped, $"the token acts as '{entry.Name}', but the store's trust names no key yet (only the log's), and trust on first use cannot work through the server: bootstrap it on the server's machine with --store (publish the first release, or 'rollproof trust add'), then start 'rollproof serve'")
            : Refused(StatusCodes.Status403Forbidden, ErrorCodes.ActorNotTrusted, $"the token acts as '{entry.Name}', and the trust the store's log establishes gives that name no key valid now (never added, revoked or expired): it grants nothing");
    }

    /// <summary>Answers a request that needs a token with why this caller's does not do.</summary>
    public Task Refusal(HttpContext http)
    {
        if (Status == StatusCodes.Status401Unauthorized)
            http.Response.Headers[HeaderNames.WWWAuthenticate] = Code == ErrorCodes.TokenMissing ? "Bearer" : "Bearer error=\"invalid_token\"";
        return ApiProblem.WriteAsync(http, Status, Code, Detail, Status == StatusCodes.Status401Unauthorized ? HeaderNames.Authorization : null);
    }

    private static CallerIdentity Admitted(ActorContext actor) => new(actor, StatusCodes.Status200OK, "", "");

    private static CallerIdentity Refused(int status, string code, string detail) => new(null, status, code, detail);
}
