using Microsoft.AspNetCore.Http;
using Rollproof.Common;

namespace Rollproof.Server.Endpoints;

/// <summary>A small request body read whole, refused (and left unread) once longer than the field it holds may be.</summary>
public static class BoundedBody
{
    public static async Task<Result<byte[]>> ReadAsync(HttpRequest request, int limit, string field, CancellationToken cancellation)
    {
        if (request.ContentLength > limit)
        {
            // The body stays unread, so the connection cannot carry another request: say so, or a client reusing it races the close.
            request.HttpContext.Response.Headers.Connection = "close";
            return TooLarge(field, limit);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limit)
                return TooLarge(field, limit);
            buffer.Write(chunk, 0, read);
        }
        return Result<byte[]>.Ok(buffer.ToArray());
    }

    private static Result<byte[]> TooLarge(string field, int limit) =>
        Result<byte[]>.Fail(ErrorCodes.InputTooLarge, $"{field}: more than {limit} bytes");
}
