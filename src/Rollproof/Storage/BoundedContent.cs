namespace Rollproof.Storage;

/// <summary>Reads an HTTP body that is not a blob (a manifest, an error) without letting a server make it arbitrarily large.</summary>
internal static class BoundedContent
{
    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes (told or found while reading).</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, int limit, CancellationToken cancellation)
    {
        if (content.Headers.ContentLength > limit)
            return null;
        await using var body = await content.ReadAsStreamAsync(cancellation);
        var bytes = await ReadAtMostAsync(body, limit + 1, cancellation);
        return bytes.Length > limit ? null : bytes;
    }

    /// <summary>At most <paramref name="limit"/> bytes from the start of the body, the rest left unread.</summary>
    public static async Task<byte[]> ReadPrefixAsync(HttpContent content, int limit, CancellationToken cancellation)
    {
        await using var body = await content.ReadAsStreamAsync(cancellation);
        return await ReadAtMostAsync(body, limit, cancellation);
    }

    private static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellation)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        while (buffer.Length < limit)
        {
            var read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellation);
            if (read == 0)
                break;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
