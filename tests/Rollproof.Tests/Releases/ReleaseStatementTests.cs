using System.Text;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Testing;

namespace Rollproof.Tests.Releases;

public class ReleaseStatementTests
{
    private static readonly string D = "sha256:" + new string('d', 64);

    private static readonly ReleasePredicate Predicate = new(
        App: "doc-signer",
        Version: "1.4.2",
        Purl: "pkg:generic/doc-signer@1.4.2",
        ConfigDigest: D,
        Sbom: new ContentReference(D, "application/vnd.cyclonedx+json"),
        Provenance: new BuildProvenance("https://ci.example/builder", "https://git.example/doc-signer", "0123abc", [new BuildInput("Dockerfile", D)], new CodeGenerator("copilot", "gpt-x-2026-01", ["unit tests", "review by alice"])),
        Migrations: [new Migration("0001_init", D, D), new Migration("0002_drop_legacy", D, null)],
        RollbackScriptDigest: D,
        SecuritySurface: new SecuritySurface(["POST /sign"], ["signer"], ["sign:write"], [new CryptoChoice("document signatures", "ECDSA-P256-SHA256", 256)]));

    private static readonly Subject[] Artifacts = [new("doc-signer-1.4.2.tar.gz", new Dictionary<string, string> { ["sha256"] = new('a', 64) })];

    [Fact]
    public void A_release_round_trips_through_a_signed_envelope()
    {
        using var key = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        var envelope = ReleaseStatement.Create(Artifacts, Predicate).Sign(key);

        var statement = InTotoStatement.FromEnvelope(DsseEnvelope.Parse(envelope.ToJson()).Value).Value;
        var predicate = ReleaseStatement.Read(statement).Value;

        Assert.Equal("doc-signer", predicate.App);
        Assert.Equal("gpt-x-2026-01", predicate.Provenance.Generator?.ModelVersion);
        Assert.Equal(["unit tests", "review by alice"], predicate.Provenance.Generator!.ValidationSteps);
        Assert.Equal(["0001_init", "0002_drop_legacy"], predicate.Migrations.Select(m => m.Id));
        Assert.False(predicate.Migrations[1].Reversible);
        Assert.Equal(statement.ToCanonicalJson(), ReleaseStatement.Create(Artifacts, predicate).ToCanonicalJson());
    }

    [Fact]
    public void The_predicate_json_is_stable_golden()
    {
        var json = Encoding.UTF8.GetString(ReleaseStatement.Create(Artifacts, Predicate).ToCanonicalJson());
        Assert.StartsWith("{\"_type\":\"https://in-toto.io/Statement/v1\",\"predicate\":{\"app\":\"doc-signer\",\"configDigest\":\"sha256:ddd", json, StringComparison.Ordinal);
        Assert.Contains("\"migrations\":[{\"downDigest\":\"" + D + "\",\"id\":\"0001_init\",\"upDigest\":\"" + D + "\"},{\"downDigest\":null,\"id\":\"0002_drop_legacy\",\"upDigest\":\"" + D + "\"}]", json, StringComparison.Ordinal);
        Assert.Contains("\"predicateType\":\"https://rollproof.dev/attestation/release/v1\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statement_of_another_kind_or_shape_is_not_a_release()
    {
        var other = new InTotoStatement(Artifacts, "https://slsa.dev/provenance/v1", System.Text.Json.JsonDocument.Parse("{}").RootElement);
        Assert.Contains("is not a Rollproof release", ReleaseStatement.Read(other).Problem?.Message, StringComparison.Ordinal);
        var broken = other with { PredicateType = ReleasePredicate.PredicateType, Predicate = System.Text.Json.JsonDocument.Parse("{\"app\":5}").RootElement };
        Assert.Equal(ErrorCodes.EnvelopeMalformed, ReleaseStatement.Read(broken).Problem?.Code);
    }

    [Fact]
    public void Migrations_are_read_in_order_with_their_digests_and_reversibility()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("0002_drop.up.sql"), "DROP TABLE legacy;");
        File.WriteAllText(dir.Combine("0001_init.up.sql"), "CREATE TABLE docs (id INTEGER);");
        File.WriteAllText(dir.Combine("0001_init.down.sql"), "DROP TABLE docs;");

        var migrations = MigrationDirectory.Read(dir.Path).Value;

        Assert.Equal(["0001_init", "0002_drop"], migrations.Select(m => m.Migration.Id));
        Assert.True(migrations[0].Migration.Reversible);
        Assert.False(migrations[1].Migration.Reversible);
        Assert.Equal(Rollproof.Storage.Sha256Digest.Of("DROP TABLE docs;"u8).ToString(), migrations[0].Migration.DownDigest);
    }

    [Fact]
    public void A_down_script_without_its_up_script_is_an_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("0003_x.down.sql"), "x");
        Assert.Contains("has no matching .up.sql", MigrationDirectory.Read(dir.Path).Problem?.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.InputMissing, MigrationDirectory.Read(dir.Combine("nope")).Problem?.Code);
    }
}
