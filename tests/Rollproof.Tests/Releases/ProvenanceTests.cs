using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Releases.Provenance;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;

namespace Rollproof.Tests.Releases;

/// <summary>SLSA Provenance v1 attestations as a release's provenance: checked to name the release's artifacts, kept by digest, and written by Rollproof from build facts.</summary>
public sealed class ProvenanceTests : IDisposable
{
    private static readonly DateTimeOffset LoggedAt = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly PrivateKey _ci = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly ReleaseStore _store;

    public ProvenanceTests()
    {
        _store = ReleaseStore.Init(_dir.Combine("store"), "log.example/releases", clock: new FixedClock(LoggedAt)).Value;
        File.WriteAllText(_dir.Combine("app.tar"), "artifact bytes");
    }

    public void Dispose()
    {
        _ci.Dispose();
        _dir.Dispose();
    }

    private static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static JsonObject Statement(string subjectHex, string predicateType = SlsaProvenance.PredicateType) => new()
    {
        ["_type"] = InTotoStatement.Type,
        ["subject"] = new JsonArray(new JsonObject { ["name"] = "app.tar", ["digest"] = new JsonObject { ["sha256"] = subjectHex } }),
        ["predicateType"] = predicateType,
        ["predicate"] = new JsonObject
        {
            ["buildDefinition"] = new JsonObject
            {
                ["buildType"] = "https://actions.github.io/buildtypes/workflow/v1",
                ["externalParameters"] = new JsonObject { ["workflow"] = new JsonObject { ["repository"] = "https://github.com/example/web" } },
                ["resolvedDependencies"] = new JsonArray(new JsonObject { ["uri"] = "git+https://github.com/example/web@refs/heads/main", ["digest"] = new JsonObject { ["gitCommit"] = "abc123" } }),
            },
            ["runDetails"] = new JsonObject { ["builder"] = new JsonObject { ["id"] = "https://github.com/actions/runner/github-hosted" } },
        },
    };

    private Result<ProvenanceSource> Source(JsonNode document)
    {
        var file = _dir.Combine("provenance.json");
        File.WriteAllText(file, document.ToJsonString());
        return ProvenanceSource.Read(File.ReadAllBytes(file), file);
    }

    private Result<PublishedRelease> Publish(ProvenanceSource provenance, string version = "1.0") =>
        _store.PublishAsync(new ReleaseDraft("web", version, [_dir.Combine("app.tar")], null, provenance, null, null, null, null), _ci, new FixedClock(LoggedAt)).GetAwaiter().GetResult();

    private ReleasePredicate Logged(string version)
    {
        var envelope = _store.ReadEnvelopeAsync(_store.Find("web", version).Value.EnvelopeDigest).GetAwaiter().GetResult().Value;
        return ReleaseStatement.Open(envelope).Value.Predicate;
    }

    private byte[] Blob(string digest) => _store.Artifacts.ReadAllAsync(Sha256Digest.Parse(digest).Value, 1 << 20).GetAwaiter().GetResult().Value;

    [Fact]
    public void An_slsa_statement_naming_the_artifact_is_kept_as_given_and_its_builder_repeated()
    {
        var given = Statement(Hex("artifact bytes"));

        var published = Publish(Source(given).Value);

        Assert.True(published.IsOk, published.Problem?.Message);
        var predicate = Logged("1.0");
        Assert.Equal(ProvenanceSource.StatementMediaType, predicate.ProvenanceAttestation!.MediaType);
        Assert.Equal(given.ToJsonString(), Encoding.UTF8.GetString(Blob(predicate.ProvenanceAttestation.Digest)));
        Assert.Equal(("https://github.com/actions/runner/github-hosted", "git+https://github.com/example/web@refs/heads/main", "abc123"),
            (predicate.Provenance.BuilderId, predicate.Provenance.SourceRepository, predicate.Provenance.SourceCommit));
    }

    [Fact]
    public void A_dsse_envelope_of_the_statement_is_accepted_as_github_writes_it()
    {
        var statement = InTotoStatement.Parse(Encoding.UTF8.GetBytes(Statement(Hex("artifact bytes")).ToJsonString())).Value;
        using var builder = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var envelope = JsonNode.Parse(statement.Sign(builder).ToJson())!;

        var published = Publish(Source(envelope).Value);

        Assert.True(published.IsOk, published.Problem?.Message);
        Assert.Equal(ProvenanceSource.EnvelopeMediaType, Logged("1.0").ProvenanceAttestation!.MediaType);
    }

    [Fact]
    public void Provenance_for_another_artifact_is_refused_naming_the_artifact_and_nothing_is_logged()
    {
        var size = _store.Log.ReadCheckpoint().Value.Checkpoint.Size;

        var published = Publish(Source(Statement(Hex("other bytes"))).Value);

        Assert.Equal(ErrorCodes.ProvenanceMismatch, published.Problem?.Code);
        Assert.Contains($"artifact 'app.tar' (sha256:{Hex("artifact bytes")})", published.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(size, _store.Log.ReadCheckpoint().Value.Checkpoint.Size);
        Assert.False(_store.Find("web", "1.0").IsOk);
    }

    [Fact]
    public void Provenance_naming_an_artifact_the_release_lacks_is_refused_naming_the_subject()
    {
        var statement = Statement(Hex("artifact bytes"));
        statement["subject"]!.AsArray().Add(new JsonObject { ["name"] = "extra.tar", ["digest"] = new JsonObject { ["sha256"] = Hex("extra") } });

        var published = Publish(Source(statement).Value);

        Assert.Equal(ErrorCodes.ProvenanceMismatch, published.Problem?.Code);
        Assert.Contains("subject 'extra.tar'", published.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://slsa.dev/provenance/v0.2", "$.predicateType: ")]
    [InlineData(null, "$.predicate.runDetails.builder.id: ")]
    public void A_statement_that_is_not_slsa_provenance_v1_is_refused(string? predicateType, string path)
    {
        var statement = Statement(Hex("artifact bytes"), predicateType ?? SlsaProvenance.PredicateType);
        if (predicateType is null)
            statement["predicate"]!["runDetails"]!["builder"]!.AsObject().Remove("id");

        var source = Source(statement);

        Assert.Equal(ErrorCodes.ProvenanceInvalid, source.Problem?.Code);
        Assert.Contains($"provenance file '{_dir.Combine("provenance.json")}': {path}", source.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_build_facts_rollproof_writes_an_slsa_v1_statement_over_the_artifacts()
    {
        var given = JsonNode.Parse("""{"builderId":"ci","sourceRepository":"https://git.example/web","sourceCommit":"abc","inputs":[{"name":"base","digest":"sha256:""" + Hex("base") + "\"}],\"generator\":null}")!;

        var published = Publish(Source(given).Value);

        Assert.True(published.IsOk, published.Problem?.Message);
        var written = InTotoStatement.Parse(Blob(Logged("1.0").ProvenanceAttestation!.Digest)).Value;
        Assert.Null(SlsaProvenance.Check(written));
        Assert.Equal(Hex("artifact bytes"), Assert.Single(written.Subjects).Digest["sha256"]);
        var facts = SlsaProvenance.Facts(written);
        Assert.Equal(("ci", "https://git.example/web", "abc"), (facts.BuilderId, facts.SourceRepository, facts.SourceCommit));
        Assert.Equal(new BuildInput("base", "sha256:" + Hex("base")), Assert.Single(facts.Inputs));
    }

    [Fact]
    public void A_release_predicate_from_before_provenance_attestations_still_reads()
    {
        var predicate = new ReleasePredicate("web", "0.9", "pkg:generic/web@0.9", null, null, new BuildProvenance("ci", "r", "c", [], null), [], null, new SecuritySurface([], [], [], []));
        var json = JsonNode.Parse(PredicateJson.Write(predicate).GetRawText())!.AsObject();
        json.Remove("provenanceAttestation");
        var old = new InTotoStatement([new Subject("app.tar", new Dictionary<string, string> { ["sha256"] = Hex("artifact bytes") })], ReleasePredicate.PredicateType, JsonSerializer.SerializeToElement(json));

        var read = ReleaseStatement.Read(old);

        Assert.True(read.IsOk, read.Problem?.Message);
        Assert.Null(read.Value.ProvenanceAttestation);
    }
}
