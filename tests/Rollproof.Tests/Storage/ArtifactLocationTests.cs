using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Tests.Storage;

public class ArtifactLocationTests
{
    [Theory]
    [InlineData("s3://releases")]
    [InlineData("s3://releases/team/app")]
    [InlineData("s3+http://127.0.0.1:9000/releases")]
    [InlineData("s3+https://minio.example/releases/prefix/")]
    [InlineData("oci+http://127.0.0.1:5000/team/app")]
    [InlineData("oci+https://registry.example/releases")]
    public void Bucket_urls_are_accepted(string url)
    {
        var location = ArtifactLocation.Parse(url);

        Assert.True(location.IsOk, location.IsOk ? "" : location.Problem.Message);
        Assert.Equal(url, location.Value.Url);
    }

    [Theory]
    [InlineData("releases", "not an absolute URL")]
    [InlineData("ftp://host/releases", "expected s3://")]
    [InlineData("oci+ftp://host/releases", "expected s3://")]
    [InlineData("oci+http://127.0.0.1:5000/Team/App", "is not a repository name")]
    [InlineData("s3+http://key:secret@127.0.0.1:9000/releases", "credentials")]
    [InlineData("s3+http://127.0.0.1:9000/releases?region=x", "queries")]
    [InlineData("s3+http://127.0.0.1:9000/", "is not an S3 bucket name")]
    [InlineData("s3+http://127.0.0.1:9000/Releases", "is not an S3 bucket name")]
    public void Anything_else_is_refused_saying_why(string url, string reason)
    {
        var location = ArtifactLocation.Parse(url);

        Assert.Equal(ErrorCodes.InputMalformed, location.Problem?.Code);
        Assert.Contains(reason, location.Problem!.Message, StringComparison.Ordinal);
    }
}
