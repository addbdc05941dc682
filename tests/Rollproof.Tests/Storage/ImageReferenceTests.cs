using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Tests.Storage;

/// <summary>A release names an image by digest, with its registry host; a tag, which can be moved, is refused.</summary>
public sealed class ImageReferenceTests
{
    private static readonly string Digest = Sha256Digest.Of("manifest"u8).ToString();

    [Theory]
    [InlineData("registry.example/team/web:1.4.2", "no digest")]
    [InlineData("registry.example/team/web:1.4.2@DIGEST", "a tag and a digest")]
    [InlineData("web@DIGEST", "no registry host")]
    [InlineData("team/web@DIGEST", "'team' is not a registry host")]
    [InlineData("registry.example/team/web@sha256:abc", "is not a sha256 digest")]
    [InlineData("registry.example/team/web@md5:0123", "is not a sha256 digest")]
    [InlineData("registry.example/Team/Web@DIGEST", "is not a repository name")]
    public void Malformed_references_are_refused_saying_why(string text, string why)
    {
        var parsed = ImageReference.Parse(text.Replace("DIGEST", Digest, StringComparison.Ordinal));

        Assert.Equal(ErrorCodes.InputMalformed, parsed.Problem?.Code);
        Assert.Contains(why, parsed.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("registry.example/team/web", "https")]
    [InlineData("registry.example:5000/team/web", "https")]
    [InlineData("127.0.0.1:5000/team/web", "http")]
    [InlineData("localhost:5000/web", "http")]
    public void A_reference_keeps_its_repository_and_digest_and_only_loopback_is_plain_http(string repository, string scheme)
    {
        var parsed = ImageReference.Parse($"{repository}@{Digest}").Value;

        Assert.Equal($"{repository}@{Digest}", parsed.ToString());
        Assert.Equal(repository, parsed.Repository);
        Assert.Equal(scheme, parsed.Registry().Registry.Scheme);
    }
}
