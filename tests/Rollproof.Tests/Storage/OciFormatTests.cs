using System.Text;
using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Tests.Storage;

public class OciFormatTests
{
    private static readonly Sha256Digest Layer = Sha256Digest.Of("layer"u8);

    [Theory]
    [InlineData("http://127.0.0.1:5000/team/app", "http://127.0.0.1:5000/", "team/app")]
    [InlineData("https://registry.example/a.b/c_d/e-f", "https://registry.example/", "a.b/c_d/e-f")]
    public void Repository_urls_name_the_registry_and_the_repository(string url, string registry, string name)
    {
        var repository = OciRepository.Parse(url).Value;

        Assert.Equal((registry, name), (repository.Registry.ToString(), repository.Name));
    }

    [Theory]
    [InlineData("registry.example/team/app", "expected http:// or https://")]
    [InlineData("ftp://registry.example/team/app", "expected http:// or https://")]
    [InlineData("https://user:pw@registry.example/team/app", "no user name")]
    [InlineData("https://registry.example/", "is not a repository name")]
    [InlineData("https://registry.example/Team/App", "is not a repository name")]
    [InlineData("https://registry.example/team//app", "is not a repository name")]
    [InlineData("https://registry.example/team/../other/app", "may not hold")]
    [InlineData("https://registry.example/./team/app", "may not hold")]
    [InlineData("https://registry.example/team\\app", "may not hold")]
    [InlineData("https://registry.example\\team/app", "is not an OCI repository URL")]
    public void Anything_else_is_not_a_repository(string url, string reason)
    {
        var repository = OciRepository.Parse(url);

        Assert.Equal(ErrorCodes.InputMalformed, repository.Problem?.Code);
        Assert.Contains(reason, repository.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.4.2", true)]
    [InlineData("sha256-abc", true)]
    [InlineData("1.4.2+build", false)]
    [InlineData(".hidden", false)]
    [InlineData("-flag", false)]
    public void Tags_follow_the_distribution_spec(string tag, bool valid) => Assert.Equal(valid, OciRepository.IsTag(tag));

    [Fact]
    public void A_manifest_reads_back_as_written_with_a_stable_digest()
    {
        var manifest = new OciManifest(OciMediaTypes.EmptyDescriptor, [new OciDescriptor(OciMediaTypes.Blob, Layer, 5) { Annotations = new Dictionary<string, string> { [OciMediaTypes.TitleAnnotation] = "app.tar" } }])
        {
            ArtifactType = "application/vnd.rollproof.release.v1+json",
            Subject = new OciDescriptor(OciMediaTypes.ImageManifest, Layer, 100),
        };

        var read = OciManifest.Parse(manifest.ToJson()).Value;

        Assert.Equal(manifest.ToJson(), read.ToJson());
        Assert.Equal("app.tar", read.Layers[0].Title);
        Assert.Equal(Layer, read.Subject!.Digest);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1}""", "$.schemaVersion: is not 2")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json"}""", "$.mediaType: is 'application/vnd.docker")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}""", "$.config: is missing")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"md5:00","size":1},"layers":[]}""", "$.config.digest")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":-1},"layers":[]}""", "$.config.size")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}}""", "$.layers: is missing")]
    [InlineData("""{"schemaVersion":2,"schemaVersion":2}""", "$: not valid JSON")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","digest":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}""", "$.config.digest")]
    public void A_malformed_manifest_names_the_field(string json, string message)
    {
        var manifest = OciManifest.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(ErrorCodes.ManifestMalformed, manifest.Problem?.Code);
        Assert.Contains(message, manifest.Problem!.Message, StringComparison.Ordinal);
    }
}
