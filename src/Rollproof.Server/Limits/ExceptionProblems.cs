using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Rollproof.Common;
using Rollproof.Server.Access;
using Rollproof.Transparency;

namespace Rollproof.Server.Limits;

/// <summary>
/// What an exception out of an endpoint becomes. A request the framework could not read (too large, not JSON, the
/// wrong content type, a missing parameter) is the client's 4xx, naming the field where the JSON went wrong; anything
/// else is a 500 that says nothing of the exception, so no stack trace, path or value ever reaches a client. An append
/// whose checkpoint is withheld for want of its witness quorum is a 503 with <c>Retry-After</c>: the entry is kept and
/// the same submission later gets its index, which a client can then prove.
/// </summary>
internal sealed class ExceptionProblems(ServerOptions options) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        if (exception is BadHttpRequestException bad)
        {
            var (detail, field) = bad.InnerException is JsonException json ? Describe(json) : (bad.Message, null);
            await ApiProblem.WriteAsync(http, bad.StatusCode, ErrorCodes.RequestMalformed, detail, field);
        }
        else if (exception is EntryWithheldException { Problem: var withheld })
        {
            http.Response.Headers[HeaderNames.RetryAfter] = Math.Ceiling(options.WitnessRetry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiProblem.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, withheld.Code, withheld.Message);
        }
        else
        {
            await ApiProblem.WriteAsync(http, StatusCodes.Status500InternalServerError, ErrorCodes.ServerFault, "the server failed on this request; the details stay on the server");
        }
        return true;
    }

    // The reader's own words up to its position ("Path: … | LineNumber: …"), which the field and byte say better.
    private static (string Detail, string? Field) Describe(JsonException json)
    {
        var message = json.Message;
        var position = message.IndexOf(" Path:", StringComparison.Ordinal);
        var reason = position > 0 ? message[..position] : message;
        var where = json.Path is { } path ? $" at {path} (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1})" : "";
        return ($"the request body is not the JSON this endpoint takes{where}: {reason}", json.Path);
    }
}
