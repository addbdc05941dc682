using System.Text;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Releases.Sbom;
using Rollproof.Testing;

namespace Rollproof.Tests.Releases;

/// <summary>SPDX 2.3 JSON SBOMs beside CycloneDX: the official example is accepted, and broken documents are refused naming the field.</summary>
public class SpdxValidatorTests
{
    private static byte[] Example() => File.ReadAllBytes(SharedFiles.Vector("spdx", "SPDXJSONExample-v2.3.spdx.json"));

    [Fact]
    public void The_official_example_is_accepted_as_spdx_and_summarised()
    {
        var summary = SbomValidator.Validate(Example());

        Assert.True(summary.IsOk, summary.Problem?.Message);
        Assert.Equal(new SbomSummary(SbomFormat.Spdx, "SPDX-2.3", 4), summary.Value);
        Assert.Equal("application/spdx+json", summary.Value.MediaType);
    }

    [Fact]
    public void A_cyclonedx_bom_is_still_read_as_cyclonedx()
    {
        var summary = SbomValidator.Validate(File.ReadAllBytes(SharedFiles.Vector("cyclonedx", "valid-compositions-1.6.json"))).Value;

        Assert.Equal(new SbomSummary(SbomFormat.CycloneDx, "1.6", 3), summary);
    }

    [Theory]
    [InlineData("documentNamespace", "$: ", "documentNamespace")]
    [InlineData("creationInfo", "$: ", "creationInfo")]
    public void A_document_missing_a_required_field_is_refused(string field, string pathPrefix, string named)
    {
        var document = JsonNode.Parse(Example())!.AsObject();
        document.Remove(field);

        var problem = Rejection(document);
        Assert.StartsWith(pathPrefix, problem.Message, StringComparison.Ordinal);
        Assert.Contains(named, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_package_with_an_unknown_reference_category_is_refused_at_that_field()
    {
        var document = JsonNode.Parse(Example())!.AsObject();
        document["packages"]![2]!["externalRefs"]![0]!["referenceCategory"] = "APT";

        Assert.StartsWith("$.packages[2].externalRefs[0].referenceCategory: ", Rejection(document).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_spdx_version_is_refused()
    {
        var document = JsonNode.Parse(Example())!.AsObject();
        document["spdxVersion"] = "SPDX-2.2";

        Assert.Equal("$.spdxVersion: must be 'SPDX-2.3', found 'SPDX-2.2'", Rejection(document).Message);
    }

    [Fact]
    public void An_spdxid_declared_twice_is_refused()
    {
        var document = JsonNode.Parse(Example())!.AsObject();
        document["packages"]![1]!["SPDXID"] = "SPDXRef-Package";

        Assert.StartsWith("$.packages[1].SPDXID: 'SPDXRef-Package' is declared more than once", Rejection(document).Message, StringComparison.Ordinal);
    }

    private static Problem Rejection(JsonObject document)
    {
        var result = SbomValidator.Validate(Encoding.UTF8.GetBytes(document.ToJsonString()));
        Assert.False(result.IsOk, "expected a rejection");
        Assert.Equal(ErrorCodes.SbomInvalid, result.Problem.Code);
        return result.Problem;
    }
}
