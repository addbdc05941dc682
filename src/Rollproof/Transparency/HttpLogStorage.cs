using System.Net;
using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// A log served over HTTP(S) as C2SP tlog-tiles, read as any client would: the checkpoint, tiles and entry bundles
/// under a URL prefix. Read-only: an auditor's view of someone else's log. Every response is bounded by the largest
/// resource the spec allows.
/// </summary>
public sealed class HttpLogStorage(HttpClient http, Uri prefix) : ILogStorage
{
    /// <summary>The largest resource: a full entry bundle of maximal entries, each with its two-byte length.</summary>
    public const long MaxResourceSize = TilePath.TileWidth * (2L + EntryBundle.MaxEntrySize);

    private readonly Uri _prefix = prefix.AbsoluteUri.EndsWith('/') ? prefix : new Uri(prefix.AbsoluteUri + "/");

    public Uri Prefix => _prefix;

    public byte[]? Read(string path)
    {
        var url = new Uri(_prefix, path);
        try
        {
            // ILogStorage is synchronous: the auditor reads tiles one after another in order anyway.
            using var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.NotFound)
                return null;
            if (!response.IsSuccessStatusCode)
                throw Failed(url, $"answered {(int)response.StatusCode} {response.ReasonPhrase}");
            using var body = response.Content.ReadAsStream();
            return BoundedRead(body, url);
        }
        catch (HttpRequestException e)
        {
            throw Failed(url, e.Message);
        }
        catch (TaskCanceledException)
        {
            throw Failed(url, $"did not answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    public void Write(string path, ReadOnlySpan<byte> data) => throw new NotSupportedException("a log read over HTTP is read-only");

    public void Sync() => throw new NotSupportedException("a log read over HTTP is read-only");

    public void ReplaceCheckpoint(ReadOnlySpan<byte> signedCheckpoint) => throw new NotSupportedException("a log read over HTTP is read-only");

    private static byte[] BoundedRead(Stream body, Uri url)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = body.Read(chunk)) > 0)
        {
            if (buffer.Length + read > MaxResourceSize)
                throw new ProblemException(new Problem(ErrorCodes.InputTooLarge, $"{url} is larger than any tlog-tiles resource ({MaxResourceSize} bytes)"));
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ProblemException Failed(Uri url, string why) =>
        new(new Problem(ErrorCodes.LogUnreachable, $"GET {url} failed: {why}"));
}
