using System.Text.Json;
using Rollproof.Common;
using Rollproof.Evidence;
using Rollproof.Formats;
using Rollproof.Releases.Sbom;
using Rollproof.Rollbacks.Risk;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Trust;

namespace Rollproof.Tests.Formats;

/// <summary>
/// A JSON string that is not text is a malformed input for every reader of outside JSON, never an exception escaping
/// it (found by the fuzzer: trust-file, sbom, vulnerability-feed and stored-feed targets, seed 1).
/// </summary>
public sealed class TextJsonTests
{
    [Theory]
    [InlineData(NotText.InvalidUtf8)]
    [InlineData(NotText.LoneSurrogate)]
    public void A_trust_file_naming_a_key_with_no_text_is_refused(string kind)
    {
        var read = TrustFile.Parse(NotText.In("""{"keys":[{"name":"@","kinds":["release"],"validFrom":"2026-01-01T00:00:00Z","publicKey":"x"}]}""", kind));

        Assert.Equal(ErrorCodes.TrustFileMalformed, read.Problem?.Code);
    }

    [Theory]
    [InlineData(NotText.InvalidUtf8)]
    [InlineData(NotText.LoneSurrogate)]
    public void An_sbom_with_a_string_that_is_not_text_is_refused(string kind)
    {
        var read = CycloneDxValidator.Validate(NotText.In("""{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"@","bom-ref":"@"}]}""", kind));

        Assert.False(read.IsOk);
        Assert.Contains("not", read.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotText.InvalidUtf8)]
    [InlineData(NotText.LoneSurrogate)]
    public void An_osv_record_with_a_string_that_is_not_text_is_refused(string kind)
    {
        var feed = VulnerabilityFeed.From(new FeedFiles([("bad.json", NotText.In("""{"id":"@","affected":[]}""", kind))]));

        Assert.Equal(ErrorCodes.FeedInvalid, feed.Problem?.Code);
        Assert.Contains("bad.json", feed.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotText.InvalidUtf8)]
    [InlineData(NotText.LoneSurrogate)]
    public void A_stored_feed_naming_a_file_with_no_text_is_refused(string kind)
    {
        var feed = VulnerabilityFeed.FromBlob(NotText.In("""{"format":"@","files":[]}""", kind), "sha256:feed");

        Assert.Equal(ErrorCodes.FeedInvalid, feed.Problem?.Code);
    }

    [Theory]
    [InlineData(NotText.InvalidUtf8)]
    [InlineData(NotText.LoneSurrogate)]
    public void An_oci_manifest_with_a_string_that_is_not_text_is_refused(string kind)
    {
        var manifest = OciManifest.Parse(NotText.In("""{"schemaVersion":2,"mediaType":"@"}""", kind));

        Assert.Equal(ErrorCodes.ManifestMalformed, manifest.Problem?.Code);
    }

    [Theory]
    [InlineData(NotText.InvalidUtf8)]
    [InlineData(NotText.LoneSurrogate)]
    public void An_evidence_manifest_naming_an_origin_with_no_text_is_refused(string kind)
    {
        using var zip = new MemoryStream();
        ZipFiles.Write(zip, [KeyValuePair.Create(EvidenceLayout.ManifestPath, NotText.In("""{"format":"rollproof-evidence/v2","origin":"@","request":1}""", kind)), KeyValuePair.Create(EvidenceLayout.CheckpointPath, "x"u8.ToArray())]);
        zip.Position = 0;

        var verified = EvidenceVerifier.Verify(zip, "package.zip", TrustFile.Empty);

        Assert.Equal(ErrorCodes.EvidenceInvalid, verified.Problem?.Code);
        Assert.Contains(EvidenceLayout.ManifestPath, verified.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotText.InvalidUtf8)]
    [InlineData(NotText.LoneSurrogate)]
    public void A_statement_whose_predicate_holds_no_text_is_refused_and_peeking_at_it_does_not_throw(string kind)
    {
        // Fuzzer: dsse, seed 1, iteration 4718 (EntryPeek read the predicate's environment after the full parse).
        var statement = NotText.In("""{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"00"}}],"predicateType":"https://rollproof.dev/attestation/deployment/v1","predicate":{"environment":"@"}}""", kind);
        var envelope = new DsseEnvelope(InTotoStatement.PayloadType, statement, [new DsseSignature(null, [1])]).ToJson();

        Assert.Equal(ErrorCodes.EnvelopeMalformed, InTotoStatement.Parse(statement).Problem?.Code);
        Assert.Null(EntryPeek.Of(envelope));
    }

    [Fact]
    public void A_member_name_that_is_not_text_is_refused_where_duplicate_names_are_checked()
    {
        // Fuzzer: sbom, seed 1, iteration 22377 (the duplicate-name check unescapes names while parsing).
        var name = NotText.In("""{"@":1}""", NotText.LoneSurrogate);

        Assert.False(CycloneDxValidator.Validate(name).IsOk);
        Assert.Equal(ErrorCodes.EnvelopeMalformed, InTotoStatement.Parse(name).Problem?.Code);
        Assert.False(DsseEnvelope.Parse(name).IsOk);
    }

    [Fact]
    public void Escaped_text_and_plain_unicode_still_read()
    {
        using var document = TextJson.Parse("""{"a":"\u00e9\ud83d\ude00","\u0062":"é"}"""u8.ToArray());

        Assert.Equal("é😀", document.RootElement.GetProperty("a").GetString());
        Assert.Equal("é", document.RootElement.GetProperty("b").GetString());
    }

    [Fact]
    public void Text_json_refuses_what_json_refuses()
    {
        Assert.ThrowsAny<JsonException>(() => TextJson.Parse("""{"a":"""u8.ToArray()));
    }
}
