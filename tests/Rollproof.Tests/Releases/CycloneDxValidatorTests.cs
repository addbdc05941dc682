using System.Text;
using System.Text.Json;
using Json.Schema;
using Rollproof.Common;
using Rollproof.Releases.Sbom;
using Rollproof.Testing;

namespace Rollproof.Tests.Releases;

/// <summary>The CycloneDX conformance vectors: every valid BOM is accepted, every invalid one rejected at the field it breaks.</summary>
public class CycloneDxValidatorTests
{
    private const string Minimal = """{"bomFormat":"CycloneDX","specVersion":"1.6","version":1}""";

    public static TheoryData<string> ValidFiles() => Files("valid-*.json");

    public static TheoryData<string> InvalidFiles() => Files("invalid-*.json");

    [Fact]
    public void All_70_vectors_are_present()
    {
        Assert.Equal((45, 25), (ValidFiles().Count, InvalidFiles().Count));
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void A_valid_vector_is_accepted(string file)
    {
        var result = CycloneDxValidator.Validate(File.ReadAllBytes(Vector(file)));
        Assert.True(result.IsOk, result.Problem?.Message);
    }

    [Fact]
    public void The_hand_written_rules_give_the_official_schemas_verdict_on_every_vector()
    {
        var schema = OfficialSchema();
        foreach (var file in Directory.EnumerateFiles(SharedFiles.Vector("cyclonedx"), "*.json"))
        {
            var bytes = File.ReadAllBytes(file);
            using var document = JsonDocument.Parse(bytes);
            var schemaAccepts = SchemaCheck.FirstViolation(schema, document.RootElement) is null;
            Assert.True(schemaAccepts == CycloneDxValidator.Validate(bytes).IsOk, $"{Path.GetFileName(file)}: the schema {(schemaAccepts ? "accepts" : "refuses")} it, the rules do not");
            Assert.Equal(Path.GetFileName(file).StartsWith("valid-", StringComparison.Ordinal), schemaAccepts);
        }
    }

    // The official CycloneDX 1.6 schema, with the two it refers to by $id registered first.
    private static JsonSchema OfficialSchema()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        JsonSchema Load(string name)
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(SharedFiles.Spec("cyclonedx-1.6", name)));
            return JsonSchema.Build(document.RootElement.Clone(), options);
        }
        Load("spdx.schema.json");
        Load("jsf-0.82.schema.json");
        return Load("bom-1.6.schema.json");
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void An_invalid_vector_is_rejected_naming_a_field(string file)
    {
        var problem = Rejection(File.ReadAllBytes(Vector(file)));
        Assert.StartsWith("$.", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invalid-bomformat-1.6.json", "$.bomFormat: ")]
    [InlineData("invalid-component-ref-1.6.json", "$.components[1].bom-ref: ")]
    [InlineData("invalid-component-swid-1.6.json", "$.components[0].swid.tagId: ")]
    [InlineData("invalid-component-type-1.6.json", "$.components[0].type: ")]
    [InlineData("invalid-dependency-1.6.json", "$.dependencies[0].ref: ")]
    [InlineData("invalid-empty-component-1.6.json", "$.components[0].name: ")]
    [InlineData("invalid-hash-alg-1.6.json", "$.components[0].hashes[0].alg: ")]
    [InlineData("invalid-hash-md5-1.6.json", "$.components[0].hashes[0].content: ")]
    [InlineData("invalid-hash-sha1-1.6.json", "$.components[0].hashes[1].content: ")]
    [InlineData("invalid-hash-sha256-1.6.json", "$.components[0].hashes[2].content: ")]
    [InlineData("invalid-hash-sha512-1.6.json", "$.components[0].hashes[3].content: ")]
    [InlineData("invalid-issue-type-1.6.json", "$.components[0].pedigree.patches[0].resolves[0].type: ")]
    [InlineData("invalid-license-choice-1.6.json", "$.components[0].licenses[0]: ")]
    [InlineData("invalid-license-declared-concluded-mix-1.6.json", "$.components[0].licenses[3].expression: ")]
    [InlineData("invalid-license-encoding-1.6.json", "$.components[0].licenses[0].license.text.encoding: ")]
    [InlineData("invalid-license-id-1.6.json", "$.components[0].licenses[0].license.id: ")]
    [InlineData("invalid-license-missing-id-and-name-1.6.json", "$.components[0].licenses[0].license: ")]
    [InlineData("invalid-metadata-license-1.6.json", "$.metadata.licenses[0].license.id: ")]
    [InlineData("invalid-metadata-timestamp-1.6.json", "$.metadata.timestamp: ")]
    [InlineData("invalid-missing-component-type-1.6.json", "$.components[0].type: ")]
    [InlineData("invalid-patch-type-1.6.json", "$.components[0].pedigree.patches[0].type: ")]
    [InlineData("invalid-properties-1.6.json", "$.metadata.properties[0].name: ")]
    [InlineData("invalid-scope-1.6.json", "$.components[0].scope: ")]
    [InlineData("invalid-serialnumber-1.6.json", "$.serialNumber: ")]
    [InlineData("invalid-service-data-1.6.json", "$.services[0].data[0].flow: ")]
    public void An_invalid_vector_is_rejected_at_the_field_it_breaks(string file, string pathPrefix)
    {
        var problem = Rejection(File.ReadAllBytes(Vector(file)));
        Assert.StartsWith(pathPrefix, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_hash_message_says_what_the_algorithm_needs()
    {
        var problem = Rejection(File.ReadAllBytes(Vector("invalid-hash-md5-1.6.json")));
        Assert.Equal("$.components[0].hashes[0].content: MD5 hashes are 32 hex digits, found 'foo'", problem.Message);
    }

    [Fact]
    public void A_valid_bom_is_summarised_counting_nested_components()
    {
        var summary = CycloneDxValidator.Validate(File.ReadAllBytes(Vector("valid-compositions-1.6.json"))).Value;
        Assert.Equal(new CycloneDxSummary("1.6", "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", 3), summary);
    }

    [Theory]
    [InlineData("1.4")]
    [InlineData("1.5")]
    public void Earlier_spec_versions_are_accepted(string version)
    {
        var summary = CycloneDxValidator.Validate(Encoding.UTF8.GetBytes(Minimal.Replace("1.6", version, StringComparison.Ordinal))).Value;
        Assert.Equal(new CycloneDxSummary(version, null, 0), summary);
    }

    [Theory]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.3"}""", "$.specVersion: ")]
    [InlineData("""{"bomFormat":"CycloneDX"}""", "$.specVersion: is required")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","version":0}""", "$.version: ")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","components":{}}""", "$.components: must be an array")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","hashes":[{"alg":"SHA-256","content":"ab"}]}]}""", "$.components[0].hashes[0].content: ")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","components":[{"type":"library"}]}]}""", "$.components[0].components[0].name: is required")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","licenses":[{"license":{"id":"MIT","name":"MIT"}}]}]}""", "$.components[0].licenses[0].license: must have either id or name, not both")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","licenses":[{"expression":"MIT"},{"expression":"0BSD"}]}]}""", "$.components[0].licenses[0].expression: ")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","bom-ref":"x"},{"type":"library","name":"b","bom-ref":"x"}]}""", "$.components[1].bom-ref: 'x' is declared more than once")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","bom-ref":"x"}],"dependencies":[{"ref":"x","dependsOn":["y"]}]}""", "$.dependencies[0].dependsOn[0]: 'y' is not the bom-ref")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","services":[{"name":"s","data":[{"flow":"inbound"}]}]}""", "$.services[0].data[0].classification: is required")]
    [InlineData("""{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"tools":[{"hashes":[{"alg":"SHA-1","content":"x"}]}]}}""", "$.metadata.tools[0].hashes[0].content: ")]
    public void A_constructed_bom_is_rejected_at_the_field_it_breaks(string json, string messagePrefix)
    {
        var problem = Rejection(Encoding.UTF8.GetBytes(json));
        Assert.StartsWith(messagePrefix, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2020-04-13T20:20:39Z", true)]
    [InlineData("2020-04-13t20:20:39.123456z", true)]
    [InlineData("2020-04-13T20:20:39-05:30", true)]
    [InlineData("2016-12-31T23:59:60Z", true)]
    [InlineData("2024-02-29T00:00:00Z", true)]
    [InlineData("2020-04-13", false)]
    [InlineData("2020-04-13T20:20:39", false)]
    [InlineData("2020-04-13 20:20:39Z", false)]
    [InlineData("2023-02-29T00:00:00Z", false)]
    [InlineData("2020-13-01T00:00:00Z", false)]
    [InlineData("2020-04-13T24:00:00Z", false)]
    [InlineData("2020-04-13T20:20:39+24:00", false)]
    [InlineData("2020-04-13T20:20:39Z\n", false)]
    public void Timestamps_are_rfc3339_date_times(string timestamp, bool valid)
    {
        var json = Minimal.TrimEnd('}') + ",\"metadata\":{\"timestamp\":" + JsonSerializer.Serialize(timestamp) + "}}";
        var result = CycloneDxValidator.Validate(Encoding.UTF8.GetBytes(json));
        Assert.Equal(valid, result.IsOk);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{} {}")]
    [InlineData("""{"bomFormat":"CycloneDX","bomFormat":"CycloneDX","specVersion":"1.6"}""")]
    public void Malformed_json_is_rejected(string json)
    {
        var problem = Rejection(Encoding.UTF8.GetBytes(json));
        Assert.StartsWith("$: not valid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"CycloneDX\"")]
    [InlineData("null")]
    public void A_root_that_is_not_an_object_is_rejected(string json)
    {
        var problem = Rejection(Encoding.UTF8.GetBytes(json));
        Assert.StartsWith("$: must be an object", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_document_is_rejected_before_parsing()
    {
        var json = new byte[CycloneDxValidator.MaxSize + 1];
        var problem = Rejection(json);
        Assert.StartsWith("$: the SBOM is", problem.Message, StringComparison.Ordinal);
    }

    private static Problem Rejection(byte[] json)
    {
        var result = CycloneDxValidator.Validate(json);
        Assert.False(result.IsOk, "expected a rejection");
        Assert.Equal(ErrorCodes.SbomInvalid, result.Problem.Code);
        return result.Problem;
    }

    private static string Vector(string file) => SharedFiles.Vector("cyclonedx", file);

    private static TheoryData<string> Files(string pattern)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(SharedFiles.Vector("cyclonedx"), pattern).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }
}
