using Microsoft.AspNetCore.Http;

namespace Rollproof.Server.Access;

/// <summary>
/// The one shape of every refusal the server answers: <c>application/problem+json</c> (RFC 9457) with the stable
/// Rollproof error code, and the field at fault when there is one, so a client can act on it without parsing prose.
/// </summary>
public static class ApiProblem
{
    /// <summary>A problem as an endpoint's result.</summary>
    public static IResult Result(int status, string code, string detail, string? field = null) =>
        Results.Problem(detail: detail, statusCode: status, extensions: Extensions(code, field));

    /// <summary>A problem written straight to the response, for middleware that answers before any endpoint runs.</summary>
    public static Task WriteAsync(HttpContext http, int status, string code, string detail, string? field = null)
    {
        http.Response.StatusCode = status;
        return Result(status, code, detail, field).ExecuteAsync(http);
    }

    private static Dictionary<string, object?> Extensions(string code, string? field) =>
        field is null ? new() { ["code"] = code } : new() { ["code"] = code, ["field"] = field };
}
