using System.Net.Http.Headers;
using Rollproof.Common;

namespace Rollproof.Storage.Remote;

/// <summary>
/// The blobs of a served store (<c>api/rollproof/v1/blobs/sha256:HEX</c>), kept in a local cache: a blob is uploaded
/// once (the server hashes it and refuses a mismatch), and fetched once, on demand, into the cache, where its bytes
/// must hash to the digest asked for or the fetch fails: a server cannot hand out other bytes under a known name.
/// </summary>
public sealed class HttpArtifactStore(ServerClient client, FileSystemArtifactStore cache) : IArtifactStore
{
    /// <summary>The largest blob fetched from a server; a release artifact, SBOM or snapshot is far below it.</summary>
    public const long MaxBlobSize = 4L << 30;

    public async Task<Sha256Digest> PutAsync(Stream content, CancellationToken cancellation = default)
    {
        var digest = await cache.PutAsync(content, cancellation);
        // A refused HEAD has no body to say why: the PUT below is refused too, with the server's problem.
        if (await AskServerAsync(digest, cancellation) is { IsOk: true, Value: not null })
            return digest;
        var opened = await cache.OpenAsync(digest, cancellation);
        if (!opened.IsOk)
            throw new ProblemException(opened.Problem);
        await using var blob = opened.Value;
        var request = new HttpRequestMessage(HttpMethod.Put, Url(digest)) { Content = new StreamContent(blob) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var stored = await client.SendAsync(request, cancellation);
        return stored.IsOk ? digest : throw new ProblemException(stored.Problem);
    }

    public async Task<Result<Stream>> OpenAsync(Sha256Digest digest, CancellationToken cancellation = default)
    {
        var fetched = await FetchAsync(digest, cancellation);
        return fetched is null ? await cache.OpenAsync(digest, cancellation) : fetched;
    }

    public async Task<Result<byte[]>> ReadAllAsync(Sha256Digest digest, long maxSize, CancellationToken cancellation = default)
    {
        var fetched = await FetchAsync(digest, cancellation);
        return fetched is null ? await cache.ReadAllAsync(digest, maxSize, cancellation) : fetched;
    }

    public async Task<bool> ExistsAsync(Sha256Digest digest, CancellationToken cancellation = default) =>
        await cache.ExistsAsync(digest, cancellation) || await ServerHasAsync(digest, cancellation);

    private async Task<bool> ServerHasAsync(Sha256Digest digest, CancellationToken cancellation)
    {
        var asked = await AskServerAsync(digest, cancellation);
        return asked.IsOk ? asked.Value is not null : throw new ProblemException(asked.Problem);
    }

    private Task<Result<byte[]?>> AskServerAsync(Sha256Digest digest, CancellationToken cancellation) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Head, Url(digest)), cancellation);

    // Into the cache unless there already; a problem when the server lacks it or sends other bytes.
    private async Task<Problem?> FetchAsync(Sha256Digest digest, CancellationToken cancellation)
    {
        if (await cache.ExistsAsync(digest, cancellation))
            return null;
        try
        {
            using var response = await client.Http.GetAsync(Url(digest), HttpCompletionOption.ResponseHeadersRead, cancellation);
            if (!response.IsSuccessStatusCode)
                return new Problem(ErrorCodes.BlobMissing, $"GET {Url(digest)} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.Content.Headers.ContentLength > MaxBlobSize)
                return new Problem(ErrorCodes.InputTooLarge, $"GET {Url(digest)}: {response.Content.Headers.ContentLength} bytes, more than a blob may be ({MaxBlobSize})");
            await using var body = await response.Content.ReadAsStreamAsync(cancellation);
            var received = await cache.PutAsync(new BoundedReadStream(body, MaxBlobSize), cancellation);
            return received == digest
                ? null
                : new Problem(ErrorCodes.BlobCorrupt, $"{client.Server} answered blob {digest} with bytes that hash to {received}: refused");
        }
        catch (HttpRequestException e)
        {
            return new Problem(ErrorCodes.LogUnreachable, $"GET {Url(digest)} failed: {e.Message}");
        }
        catch (ProblemException e)
        {
            return e.Problem;
        }
    }

    private Uri Url(Sha256Digest digest) => client.Api("blobs/" + digest);
}
