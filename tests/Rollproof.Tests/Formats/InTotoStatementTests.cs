using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;

namespace Rollproof.Tests.Formats;

public class InTotoStatementTests
{
    private static readonly InTotoStatement Release = new(
        [new Subject("app.tar.gz", new Dictionary<string, string> { ["sha256"] = new('a', 64) })],
        "https://in-toto.io/attestation/release/v0.1",
        JsonDocument.Parse("""{"purl":"pkg:generic/doc-signer@1.4.2","z":1,"a":[2,1]}""").RootElement);

    [Fact]
    public void The_payload_is_canonical_json_golden()
    {
        const string golden = "{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"a\":[2,1],\"purl\":\"pkg:generic/doc-signer@1.4.2\",\"z\":1},\"predicateType\":\"https://in-toto.io/attestation/release/v0.1\",\"subject\":[{\"digest\":{\"sha256\":\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"},\"name\":\"app.tar.gz\"}]}";
        Assert.Equal(golden, Encoding.UTF8.GetString(Release.ToCanonicalJson()));
    }

    [Fact]
    public void A_signed_statement_reads_back_from_its_envelope()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var envelope = DsseEnvelope.Parse(Release.Sign(key).ToJson()).Value;

        Assert.True(envelope.Verify([key.PublicKey]).IsOk);
        var statement = InTotoStatement.FromEnvelope(envelope).Value;
        Assert.Equal(Release.ToCanonicalJson(), statement.ToCanonicalJson());
        Assert.Equal("app.tar.gz", statement.Subjects[0].Name);
        Assert.Equal(ErrorCodes.EnvelopeMalformed, InTotoStatement.FromEnvelope(envelope with { PayloadType = "text/plain" }).Problem?.Code);
    }

    [Theory]
    [InlineData("[]", "$: a statement is a JSON object")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"_type\":\"https://in-toto.io/Statement/v1\"}", "$: not valid JSON")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v0.1\"}", "$._type")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[]}", "$.subject")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a\"}]}", "$.subject[0].digest")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"ABC\"}}]}", "$.subject[0].digest.sha256")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"ab\"}}],\"predicateType\":\"release\"}", "$.predicateType")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"ab\"}}],\"predicateType\":\"https://x.example/p\",\"predicate\":1}", "$.predicate")]
    public void Malformed_statements_name_the_field(string json, string path)
    {
        var result = InTotoStatement.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(ErrorCodes.EnvelopeMalformed, result.Problem?.Code);
        Assert.StartsWith(path, result.Problem!.Message, StringComparison.Ordinal);
    }
}
