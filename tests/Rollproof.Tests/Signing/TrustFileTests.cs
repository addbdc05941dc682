using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Tests.Signing;

/// <summary>Keys rotate without invalidating history: a statement is judged by the keys valid when it was logged.</summary>
public sealed class TrustFileTests : IDisposable
{
    private static readonly string[] Releases = ["release"];
    private static readonly string[] ApproverKinds = ["approval", "rollback-request"];
    private readonly PrivateKey _ci2025 = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly PrivateKey _ci2026 = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
    private readonly PrivateKey _alice = PrivateKey.Generate(KeyAlgorithm.Ed25519);

    public void Dispose()
    {
        _ci2025.Dispose();
        _ci2026.Dispose();
        _alice.Dispose();
    }

    private TrustFile Trust() => TrustFile.Parse(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        keys = new object[]
        {
            new { name = "ci-2025", kinds = Releases, validFrom = "2025-01-01T00:00:00Z", validUntil = "2026-01-01T00:00:00Z", publicKey = _ci2025.PublicKey.ToPem() },
            new { name = "ci-2026", kinds = Releases, validFrom = "2026-01-01T00:00:00Z", publicKey = _ci2026.PublicKey.ToPem() },
            new { name = "alice", kinds = ApproverKinds, validFrom = "2025-06-01T00:00:00+02:00", publicKey = _alice.PublicKey.ToPem() },
        },
    }))).Value;

    public static TheoryData<string, string, string, string?> Decisions() => new()
    {
        { "ci-2025", "release", "2025-07-01T00:00:00Z", null },
        { "ci-2025", "release", "2026-03-01T00:00:00Z", "was not valid at" },
        { "ci-2026", "release", "2026-03-01T00:00:00Z", null },
        { "ci-2026", "release", "2025-12-31T23:59:59Z", "was not valid at" },
        { "ci-2026", "approval", "2026-03-01T00:00:00Z", "may sign release, not approval" },
        { "alice", "approval", "2026-03-01T00:00:00Z", null },
        { "alice", "release", "2026-03-01T00:00:00Z", "may sign approval, rollback-request, not release" },
        { "stranger", "release", "2026-03-01T00:00:00Z", "is not in the trust file" },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Keys_are_authorised_by_kind_and_by_the_time_the_statement_was_logged(string key, string kind, string loggedAt, string? refusal)
    {
        var keyId = key switch
        {
            "ci-2025" => _ci2025.KeyId,
            "ci-2026" => _ci2026.KeyId,
            "alice" => _alice.KeyId,
            _ => new string('0', 64),
        };
        var decision = Trust().Authorize(keyId, kind, DateTimeOffset.Parse(loggedAt, System.Globalization.CultureInfo.InvariantCulture), 100);
        if (refusal is null)
        {
            Assert.True(decision.IsOk, decision.Problem?.Message);
            Assert.Equal(key, decision.Value.Name);
        }
        else
        {
            Assert.Equal(ErrorCodes.KeyNotTrusted, decision.Problem?.Code);
            Assert.Contains(refusal, decision.Problem!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Verifiers_for_a_kind_are_the_keys_valid_then()
    {
        var keys = Trust().KeysFor("release", DateTimeOffset.Parse("2025-07-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), 100);
        Assert.Equal([_ci2025.KeyId], keys.Select(k => k.KeyId));
    }

    [Theory]
    [InlineData("{}", "$.keys")]
    [InlineData("[]", "$.keys")]
    [InlineData("{\"keys\":[{\"kinds\":[\"release\"]}]}", "$.keys[0].name")]
    [InlineData("{\"keys\":[{\"name\":\"a\",\"kinds\":[\"release\"],\"validFrom\":\"2026-01-01T00:00:00Z\",\"publicKey\":\"junk\"}]}", "$.keys[0].publicKey")]
    [InlineData("{\"keys\":[{\"name\":\"a\",\"kinds\":[],\"validFrom\":\"2026-01-01T00:00:00Z\",\"publicKey\":\"{PEM}\"}]}", "$.keys[0].kinds")]
    [InlineData("{\"keys\":[{\"name\":\"a\",\"kinds\":[\"release\"],\"validFrom\":\"2026-01-01\",\"publicKey\":\"{PEM}\"}]}", "$.keys[0].validFrom")]
    [InlineData("{\"keys\":[{\"name\":\"a\",\"kinds\":[\"release\"],\"validFrom\":\"2026-01-01T00:00:00\",\"publicKey\":\"{PEM}\"}]}", "$.keys[0].validFrom")]
    [InlineData("{\"keys\":[{\"name\":\"a\",\"kinds\":[\"release\"],\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2025-01-01T00:00:00Z\",\"publicKey\":\"{PEM}\"}]}", "$.keys[0].validUntil")]
    public void Malformed_trust_files_name_the_field(string template, string path)
    {
        var json = template.Replace("{PEM}", JsonEncodedText.Encode(_ci2026.PublicKey.ToPem()).ToString(), StringComparison.Ordinal);
        var result = TrustFile.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Equal(ErrorCodes.TrustFileMalformed, result.Problem?.Code);
        Assert.StartsWith(path, result.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trust_file_written_out_reads_back_the_same()
    {
        var trust = Trust();

        var again = TrustFile.Parse(trust.ToJson()).Value;

        Assert.Equal(
            trust.Keys.Select(k => (k.Name, k.Key.KeyId, string.Join(",", k.Kinds.Order()), k.ValidFrom, k.ValidUntil)),
            again.Keys.Select(k => (k.Name, k.Key.KeyId, string.Join(",", k.Kinds.Order()), k.ValidFrom, k.ValidUntil)));
    }

    [Fact]
    public void A_key_is_added_once_by_name()
    {
        var key = Trust().Keys[0];

        var trust = TrustFile.Empty.With(key);

        Assert.Single(trust.Keys);
        Assert.Throws<ArgumentException>(() => trust.With(key));
    }
}
