using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// The parts of the OCI Distribution API that Rollproof needs, for one repository: blobs by digest (HEAD, GET,
/// monolithic upload) and manifests by tag or digest. Credentials are the <see cref="HttpClient"/>'s business (see
/// <see cref="RegistryAuthHandler"/>), so this class never holds one. Every failure is a <see cref="Problem"/> naming the operation, the path, the status and the registry's own
/// error code; manifests are read with a size limit and checked against the digest they were asked for.
/// </summary>
public sealed class OciRegistryClient(HttpClient http, OciRepository repository)
{
    private const int MaxErrorBody = 64 * 1024;

    public OciRepository Repository { get; } = repository;

    public async Task<Result<bool>> BlobExistsAsync(Sha256Digest digest, CancellationToken cancellation)
    {
        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Repository.Api($"blobs/{digest}")), cancellation);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => Result<bool>.Ok(true),
            HttpStatusCode.NotFound => Result<bool>.Ok(false),
            _ => await FailAsync<bool>("HEAD blob", response, cancellation),
        };
    }

    /// <summary>The blob's response, for the caller to stream and check; null when the registry has no such blob.</summary>
    public async Task<Result<HttpResponseMessage?>> GetBlobAsync(Sha256Digest digest, CancellationToken cancellation)
    {
        var response = await http.GetAsync(Repository.Api($"blobs/{digest}"), HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (response.StatusCode == HttpStatusCode.OK)
            return Result<HttpResponseMessage?>.Ok(response);
        using (response)
            return response.StatusCode == HttpStatusCode.NotFound ? Result<HttpResponseMessage?>.Ok(null) : await FailAsync<HttpResponseMessage?>("GET blob", response, cancellation);
    }

    /// <summary>Uploads a blob in one request (POST for an upload session, then PUT with the digest).</summary>
    public async Task<Problem?> PushBlobAsync(Sha256Digest digest, Stream content, CancellationToken cancellation)
    {
        Uri session;
        using (var started = await http.PostAsync(Repository.Api("blobs/uploads/"), null, cancellation))
        {
            if (started.StatusCode != HttpStatusCode.Accepted || started.Headers.Location is not { } location)
                return (await FailAsync<bool>("start blob upload", started, cancellation)).Problem;
            session = location.IsAbsoluteUri ? location : new Uri(Repository.Registry, location);
        }
        var target = new UriBuilder(session);
        target.Query = (target.Query.Length > 1 ? target.Query[1..] + "&" : "") + "digest=" + Uri.EscapeDataString(digest.ToString());
        using var body = new StreamContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.Blob);
        using var finished = await http.PutAsync(target.Uri, body, cancellation);
        return finished.StatusCode == HttpStatusCode.Created ? null : (await FailAsync<bool>("finish blob upload", finished, cancellation)).Problem;
    }

    /// <summary>Pushes a manifest under a tag or its digest; returns its digest, checked against what the registry says it stored.</summary>
    public async Task<Result<Sha256Digest>> PutManifestAsync(string reference, OciManifest manifest, CancellationToken cancellation)
    {
        var bytes = manifest.ToJson();
        var digest = Sha256Digest.Of(bytes);
        using var body = new ByteArrayContent(bytes);
        body.Headers.ContentType = new MediaTypeHeaderValue(OciMediaTypes.ImageManifest);
        using var response = await http.PutAsync(Repository.Api($"manifests/{reference}"), body, cancellation);
        if (response.StatusCode != HttpStatusCode.Created)
            return await FailAsync<Sha256Digest>($"PUT manifest {reference}", response, cancellation);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var stored) && stored.FirstOrDefault() is { } said && said != digest.ToString())
            return Result<Sha256Digest>.Fail(ErrorCodes.RegistryFailed, $"{Repository}: the registry stored manifest {reference} as {said}, not the {digest} sent");
        return Result<Sha256Digest>.Ok(digest);
    }

    /// <summary>A manifest's bytes and digest; fetched by digest, the bytes must hash to it.</summary>
    public async Task<Result<(OciManifest Manifest, Sha256Digest Digest)>> GetManifestAsync(string reference, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Repository.Api($"manifests/{reference}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(OciMediaTypes.ImageManifest));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (response.StatusCode != HttpStatusCode.OK)
            return await FailAsync<(OciManifest, Sha256Digest)>($"GET manifest {reference}", response, cancellation);
        var bytes = await BoundedContent.ReadAsync(response.Content, OciManifest.MaxSize, cancellation);
        if (bytes is null)
            return Result<(OciManifest, Sha256Digest)>.Fail(ErrorCodes.InputTooLarge, $"{Repository}: manifest {reference} is larger than {OciManifest.MaxSize} bytes");
        var digest = Sha256Digest.Of(bytes);
        if (Sha256Digest.Parse(reference) is { IsOk: true } asked && asked.Value != digest)
            return Result<(OciManifest, Sha256Digest)>.Fail(ErrorCodes.BlobCorrupt, $"{Repository}: manifest {reference} came back with content hashing to {digest}");
        var manifest = OciManifest.Parse(bytes);
        return manifest.IsOk ? Result<(OciManifest, Sha256Digest)>.Ok((manifest.Value, digest)) : manifest.Problem with { Message = $"{Repository}: manifest {reference}: {manifest.Problem.Message}" };
    }

    /// <summary>
    /// A container image's manifest or index by digest, as raw bytes that must hash to it, with its media type (the
    /// JSON's own <c>mediaType</c>, which must agree with the registry's Content-Type when both are given).
    /// </summary>
    public async Task<Result<ImageManifest>> GetImageManifestAsync(Sha256Digest digest, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Repository.Api($"manifests/{digest}"));
        foreach (var type in ImageManifest.MediaTypes)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (response.StatusCode != HttpStatusCode.OK)
            return await FailAsync<ImageManifest>($"GET manifest {digest}", response, cancellation);
        var bytes = await BoundedContent.ReadAsync(response.Content, OciManifest.MaxSize, cancellation);
        if (bytes is null)
            return Result<ImageManifest>.Fail(ErrorCodes.InputTooLarge, $"{Repository}: manifest {digest} is larger than {OciManifest.MaxSize} bytes");
        if (Sha256Digest.Of(bytes) is var got && got != digest)
            return Result<ImageManifest>.Fail(ErrorCodes.BlobCorrupt, $"{Repository}: manifest {digest} came back with content hashing to {got}");
        var read = ImageManifest.Read(bytes, response.Content.Headers.ContentType?.MediaType);
        return read.IsOk ? read : read.Problem with { Message = $"{Repository}: manifest {digest}: {read.Problem.Message}" };
    }

    private async Task<Result<T>> FailAsync<T>(string operation, HttpResponseMessage response, CancellationToken cancellation)
    {
        if (response.RequestMessage?.Options.TryGetValue(RegistryAuthHandler.Refusal, out var refusal) == true)
            return Result<T>.Fail(ErrorCodes.RegistryAuthFailed, $"{Repository}: {operation}: {refusal}");
        var detail = "";
        if (response.Content.Headers.ContentLength is not 0)
        {
            var body = await BoundedContent.ReadPrefixAsync(response.Content, MaxErrorBody, cancellation);
            detail = ErrorCodesIn(body);
        }
        return Result<T>.Fail(ErrorCodes.RegistryFailed, $"{Repository}: {operation} ({response.RequestMessage?.RequestUri?.AbsolutePath}) failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}{detail}");
    }

    // The registry's own errors ({"errors":[{"code","message"}]}), when it sent them.
    private static string ErrorCodesIn(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
                return "";
            var listed = errors.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Take(5).Select(e => $"{Text(e, "code")}: {Text(e, "message")}");
            return ": " + string.Join("; ", listed);
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string Text(JsonElement error, string name) =>
        error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "?";
}
