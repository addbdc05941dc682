using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Storage.Remote;

/// <summary>
/// The HTTP side of a store served by <c>rollproof serve</c>: its Rollproof API under <c>api/rollproof/v1/</c>, with the
/// command's API token (<see cref="ServerToken"/>) when it has one. A refusal comes back as
/// the server's problem (its code and detail); an unreachable server as <see cref="ErrorCodes.LogUnreachable"/>.
/// </summary>
public sealed class ServerClient
{
    public const string ApiPrefix = "api/rollproof/v1/";
    private const int MaxAnswerSize = 4 << 20;

    public ServerClient(Uri server)
    {
        Server = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        Http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        if (ServerToken.Value is { Length: > 0 } token)
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public Uri Server { get; }

    public HttpClient Http { get; }

    public Uri Api(string path) => new(Server, ApiPrefix + path);

    /// <summary>Sends a request; the answer's body (bounded) when it succeeds, null for 404, the server's problem otherwise.</summary>
    public async Task<Result<byte[]?>> SendAsync(HttpRequestMessage request, CancellationToken cancellation = default) =>
        (await ExchangeAsync(request, _ => null, cancellation)).Answer;

    /// <summary>
    /// <see cref="SendAsync"/> for callers that are not asynchronous (the replica's sync, an environment lock): run off
    /// any synchronization context, so waiting on it cannot deadlock.
    /// </summary>
    public Result<byte[]?> Send(HttpRequestMessage request) => Task.Run(() => SendAsync(request)).GetAwaiter().GetResult();

    /// <summary>
    /// As <see cref="SendAsync"/>, for a submission the server may ask to bring again later (<see cref="ServerWaits"/>):
    /// <paramref name="request"/> builds the same request anew for each try.
    /// </summary>
    public async Task<Result<byte[]?>> SubmitAsync(Func<HttpRequestMessage> request, CancellationToken cancellation = default)
    {
        var waited = TimeSpan.Zero;
        for (var tries = 1; ; tries++)
        {
            var (answer, again) = await ExchangeAsync(request(), response => ServerWaits.Before(response, tries, waited, DateTimeOffset.UtcNow), cancellation);
            if (again is not var (wait, why))
                return answer;
            ServerWaits.Notices?.WriteLine(why);
            await Task.Delay(wait, cancellation);
            waited += wait;
        }
    }

    private async Task<(Result<byte[]?> Answer, (TimeSpan, string)? Again)> ExchangeAsync(HttpRequestMessage request, Func<HttpResponseMessage, (TimeSpan, string)?> again, CancellationToken cancellation)
    {
        try
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
            if (response.StatusCode == HttpStatusCode.NotFound && request.Method != HttpMethod.Post)
                return (Result<byte[]?>.Ok(null), null);
            var body = await BoundedContent.ReadAsync(response.Content, MaxAnswerSize, cancellation);
            if (response.IsSuccessStatusCode)
                return (body is null ? Result<byte[]?>.Fail(ErrorCodes.InputTooLarge, $"{request.Method} {request.RequestUri} answered more than {MaxAnswerSize} bytes") : Result<byte[]?>.Ok(body), null);
            return (Refused(request, response, body), again(response));
        }
        catch (HttpRequestException e)
        {
            return (Result<byte[]?>.Fail(ErrorCodes.LogUnreachable, $"{request.Method} {request.RequestUri} failed: {e.Message}"), null);
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return (Result<byte[]?>.Fail(ErrorCodes.LogUnreachable, $"{request.Method} {request.RequestUri} did not answer within {Http.Timeout.TotalSeconds:0} s"), null);
        }
    }

    // The server's problem+json keeps its code, so a refusal reads the same as the local command's would.
    private static Result<byte[]?> Refused(HttpRequestMessage request, HttpResponseMessage response, byte[]? body)
    {
        var what = $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var problem = JsonDocument.Parse(body ?? []);
            if (problem.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                && problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                return Result<byte[]?>.Fail(code.GetString()!, $"the server refused: {detail.GetString()}");
        }
        catch (JsonException)
        {
        }
        return Result<byte[]?>.Fail(ErrorCodes.LogUnreachable, what);
    }
}
