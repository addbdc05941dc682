using Amazon.S3;
using Rollproof.Common;

namespace Rollproof.Storage;

/// <summary>
/// Where a store keeps its blobs, written as a URL: nothing for the store's own <c>artifacts/</c> directory,
/// <c>s3+http(s)://HOST[:PORT]/BUCKET[/PREFIX]</c> for an S3-compatible server (path-style), <c>s3://BUCKET[/PREFIX]</c>
/// for AWS itself, or <c>oci+http(s)://HOST[:PORT]/REPOSITORY</c> for a repository of an OCI registry. Credentials are
/// never part of the URL: the AWS SDK finds them (environment, profile, instance role); registries are used anonymously.
/// </summary>
public sealed record ArtifactLocation
{
    private ArtifactLocation(string url, Uri? endpoint, string bucket, string prefix, OciRepository? repository = null)
    {
        Url = url;
        Endpoint = endpoint;
        Bucket = bucket;
        Prefix = prefix;
        Repository = repository;
    }

    public string Url { get; }

    /// <summary>The registry repository, for a location in a registry.</summary>
    public OciRepository? Repository { get; }

    private Uri? Endpoint { get; }

    private string Bucket { get; }

    private string Prefix { get; }

    public static Result<ArtifactLocation> Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return Fail(url, "not an absolute URL");
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return Fail(url, "credentials, queries and fragments do not belong in it (the SDK finds credentials itself)");
        switch (uri.Scheme)
        {
            case "s3":
                return S3(url, null, uri.Host, uri.AbsolutePath);
            case "s3+http" or "s3+https":
            {
                var path = uri.AbsolutePath.TrimStart('/');
                var slash = path.IndexOf('/');
                var endpoint = new Uri($"{uri.Scheme[3..]}://{uri.Authority}");
                return slash < 0 ? S3(url, endpoint, path, "") : S3(url, endpoint, path[..slash], path[slash..]);
            }
            case "oci+http" or "oci+https":
            {
                var repository = OciRepository.Parse(url[4..]);
                return repository.IsOk
                    ? Result<ArtifactLocation>.Ok(new ArtifactLocation(url, null, "", "", repository.Value))
                    : Fail(url, repository.Problem.Message);
            }
            default:
                return Fail(url, "expected s3://BUCKET[/PREFIX], s3+http(s)://HOST:PORT/BUCKET[/PREFIX] or oci+http(s)://HOST[:PORT]/REPOSITORY");
        }
    }

    /// <summary>The store itself, its client configured for the location.</summary>
    public IArtifactStore Open()
    {
        if (Repository is not null)
            return new OciArtifactStore(new OciRegistryClient(RegistryAuthHandler.CreateClient(), Repository));
        var client = Endpoint is null ? new AmazonS3Client() : new AmazonS3Client(S3ArtifactStore.CompatibleConfig(Endpoint.ToString().TrimEnd('/')));
        return new S3ArtifactStore(client, Bucket, Prefix);
    }

    public override string ToString() => Url;

    private static Result<ArtifactLocation> S3(string url, Uri? endpoint, string bucket, string path)
    {
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
            return Fail(url, $"'{bucket}' is not an S3 bucket name (3 to 63 lowercase letters, digits, '-' and '.')");
        var prefix = path.Trim('/');
        return Result<ArtifactLocation>.Ok(new ArtifactLocation(url, endpoint, bucket, prefix.Length == 0 ? "" : prefix + "/"));
    }

    private static Result<ArtifactLocation> Fail(string url, string reason) =>
        Result<ArtifactLocation>.Fail(ErrorCodes.InputMalformed, $"'{url}' is not an artifact store location: {reason}");
}
