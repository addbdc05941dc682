using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// Answers a registry's 401 the way Docker clients do: <c>Basic</c> with the host's login from
/// <see cref="RegistryCredentials"/>, or the Distribution token flow for <c>Bearer</c> (GET the challenge's realm
/// with its service and scope, with the login as Basic credentials if there is one, and send the token it returns).
/// Tokens are kept per realm, service and scope until they expire, and the answer that worked is sent up front on
/// the next request to the same repository. When no answer works, the 401 is handed back with the reason in the
/// request's options (<see cref="Refusal"/>), which <see cref="OciRegistryClient"/> reports; no message ever holds
/// a password or token. Responses from the token service are read with a size limit.
/// </summary>
public sealed class RegistryAuthHandler(RegistryCredentials credentials, HttpMessageHandler inner, TimeProvider? clock = null) : DelegatingHandler(inner)
{
    internal static readonly HttpRequestOptionsKey<string> Refusal = new("rollproof.registry.refusal");

    private const int MaxTokenResponse = 64 * 1024;
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _worked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (AuthenticationHeaderValue Header, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);

    /// <summary>An HTTP client for registries with the Docker configuration's logins (<see cref="RegistryCredentials.Load"/>).</summary>
    public static HttpClient CreateClient(RegistryCredentials? credentials = null) =>
        new(new RegistryAuthHandler(credentials ?? RegistryCredentials.Load(), new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(10) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var repository = RepositoryKey(uri);
        if (request.Headers.Authorization is null && _worked.TryGetValue(repository, out var known))
            request.Headers.Authorization = known;
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || RegistryChallenge.Read(response.Headers.WwwAuthenticate) is not { } challenge)
            return response;
        var answer = await AnswerAsync(challenge, uri.Authority, cancellationToken);
        if (!answer.IsOk)
        {
            request.Options.Set(Refusal, answer.Problem.Message);
            return response;
        }
        response.Dispose();
        var retry = Copy(request, answer.Value);
        var retried = await base.SendAsync(retry, cancellationToken);
        if (retried.StatusCode == HttpStatusCode.Unauthorized)
            retried.RequestMessage?.Options.Set(Refusal, Refused(uri.Authority, challenge));
        else
            _worked[repository] = answer.Value;
        return retried;
    }

    private string Refused(string host, RegistryChallenge challenge) => credentials.For(host) is { } login
        ? $"{host} refused the credentials of {login} from {credentials.Source}{(challenge.IsBearer ? $" (token for scope '{challenge.Parameters.GetValueOrDefault("scope")}')" : "")}"
        : $"{host} needs credentials, and {credentials.Missing(host)}";

    private async Task<Result<AuthenticationHeaderValue>> AnswerAsync(RegistryChallenge challenge, string host, CancellationToken cancellation)
    {
        var login = credentials.For(host);
        if (challenge.IsBasic)
            return login is null
                ? Result<AuthenticationHeaderValue>.Fail(ErrorCodes.RegistryAuthFailed, $"{host} needs credentials, and {credentials.Missing(host)}")
                : Result<AuthenticationHeaderValue>.Ok(Basic(login));
        if (challenge.Realm is null || !Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
            return Result<AuthenticationHeaderValue>.Fail(ErrorCodes.RegistryAuthFailed, $"{host} asks for a token but names no usable realm ('{challenge.Realm}')");
        if (realm.Scheme == "http" && !realm.IsLoopback)
            return Result<AuthenticationHeaderValue>.Fail(ErrorCodes.RegistryAuthFailed, $"{host} sends logins to {realm.GetLeftPart(UriPartial.Path)} over plain HTTP; Rollproof sends credentials over HTTPS only (or to loopback)");
        var service = challenge.Parameters.GetValueOrDefault("service");
        var scope = challenge.Parameters.GetValueOrDefault("scope");
        var key = $"{realm}\n{service}\n{scope}";
        if (_tokens.TryGetValue(key, out var cached) && cached.Until > _clock.GetUtcNow())
            return Result<AuthenticationHeaderValue>.Ok(cached.Header);
        var token = await FetchTokenAsync(realm, service, scope, host, login, cancellation);
        if (token.IsOk)
            _tokens[key] = token.Value;
        return token.Map(t => t.Header);
    }

    private async Task<Result<(AuthenticationHeaderValue Header, DateTimeOffset Until)>> FetchTokenAsync(Uri realm, string? service, string? scope, string host, RegistryLogin? login, CancellationToken cancellation)
    {
        var query = new List<string>();
        if (service is not null)
            query.Add("service=" + Uri.EscapeDataString(service));
        if (scope is not null)
            query.Add("scope=" + Uri.EscapeDataString(scope));
        var target = new UriBuilder(realm) { Query = string.Join('&', [.. new[] { realm.Query.TrimStart('?') }.Where(q => q.Length > 0), .. query]) }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        if (login is not null)
            request.Headers.Authorization = Basic(login);
        var asked = _clock.GetUtcNow();
        using var response = await base.SendAsync(request, cancellation);
        var where = $"the token service {realm.GetLeftPart(UriPartial.Path)} of {host}";
        if (response.StatusCode == HttpStatusCode.Unauthorized)
            return Result<(AuthenticationHeaderValue, DateTimeOffset)>.Fail(ErrorCodes.RegistryAuthFailed, login is null
                ? $"{where} needs credentials, and {credentials.Missing(host)}"
                : $"{where} refused the credentials of {login} from {credentials.Source}");
        if (response.StatusCode != HttpStatusCode.OK)
            return Result<(AuthenticationHeaderValue, DateTimeOffset)>.Fail(ErrorCodes.RegistryAuthFailed, $"{where} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        var body = await BoundedContent.ReadAsync(response.Content, MaxTokenResponse, cancellation);
        if (body is null)
            return Result<(AuthenticationHeaderValue, DateTimeOffset)>.Fail(ErrorCodes.InputTooLarge, $"{where} answered with more than {MaxTokenResponse} bytes");
        return ReadToken(body, where, asked);
    }

    // {"token": "…"} or OAuth2's {"access_token": "…"}, with "expires_in" seconds (60 when absent, as the spec says).
    private static Result<(AuthenticationHeaderValue Header, DateTimeOffset Until)> ReadToken(byte[] body, string where, DateTimeOffset asked)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            string? token = null;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in (string[])["token", "access_token"])
                {
                    if (token is null && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                        token = value.GetString();
                }
            }
            if (string.IsNullOrEmpty(token) || token.Any(char.IsWhiteSpace))
                return Result<(AuthenticationHeaderValue, DateTimeOffset)>.Fail(ErrorCodes.RegistryAuthFailed, $"{where} answered with no token");
            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number && expires.TryGetInt32(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(seconds)
                : DefaultTokenLifetime;
            // Renewed a little early, so a token never expires between the check and the request.
            return Result<(AuthenticationHeaderValue, DateTimeOffset)>.Ok((new AuthenticationHeaderValue("Bearer", token), asked + lifetime * 0.9));
        }
        catch (JsonException)
        {
            return Result<(AuthenticationHeaderValue, DateTimeOffset)>.Fail(ErrorCodes.RegistryAuthFailed, $"{where} answered with something other than JSON");
        }
    }

    private static AuthenticationHeaderValue Basic(RegistryLogin login) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}")));

    // Tokens are scoped to a repository: /v2/NAME/(blobs|manifests|tags)/… (upload sessions included).
    private static string RepositoryKey(Uri uri)
    {
        var path = uri.AbsolutePath;
        foreach (var marker in (string[])["/blobs/", "/manifests/", "/tags/"])
        {
            if (path.IndexOf(marker, StringComparison.Ordinal) is var at and > 0)
                return uri.Authority + path[..at];
        }
        return uri.Authority;
    }

    // A request is sent once; the retry is a copy with the answer. A body is sent again from its start (byte arrays
    // and seekable streams can be; Rollproof uploads only those).
    private static HttpRequestMessage Copy(HttpRequestMessage request, AuthenticationHeaderValue authorization)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = request.Content, Version = request.Version, VersionPolicy = request.VersionPolicy };
        foreach (var header in request.Headers.Where(h => h.Key != "Authorization"))
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        foreach (var option in request.Options)
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        copy.Headers.Authorization = authorization;
        return copy;
    }
}
