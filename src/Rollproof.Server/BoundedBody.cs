using Microsoft.AspNetCore.Http;
using Rollproof.Common;

namespace Rollproof.Server;

/// <summary>Reads a request body up to a limit, refusing a larger one (by its Content-Length or as it streams) without buffering it.</summary>
internal static class BoundedBody
{
    public static async Task<Result<byte[]>> ReadAsync(HttpRequest request, int limit, CancellationToken cancellation)
    {
        if (request.ContentLength > limit)
            return TooLarge(request.ContentLength.Value, limit);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > limit)
                return TooLarge(buffer.Length + read, limit);
            buffer.Write(chunk, 0, read);
        }
        return Result<byte[]>.Ok(buffer.ToArray());
    }

    private static Result<byte[]> TooLarge(long size, int limit) =>
        Result<byte[]>.Fail(ErrorCodes.InputTooLarge, $"the request body is {size} bytes or more, more than the {limit}-byte limit");
}
