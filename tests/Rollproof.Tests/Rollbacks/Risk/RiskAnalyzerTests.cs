using System.Text;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Rollbacks.Risk;
using Rollproof.Testing;

namespace Rollproof.Tests.Rollbacks.Risk;

/// <summary>Every kind of finding, one row each: the change between the current release and the target, and what the analysis says.</summary>
public sealed class RiskAnalyzerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string Down = "sha256:" + new string('d', 64);
    private readonly TempDirectory _feed = new();

    public void Dispose() => _feed.Dispose();

    public sealed record Side(string Version = "2.0", object[]? Components = null, bool NoSbom = false, object[]? Vulnerabilities = null,
        CryptoChoice[]? Crypto = null, string[]? Roles = null, string[]? Scopes = null, string[]? Routes = null, Migration[]? Migrations = null);

    private static object Component(string name, string version, object[]? nested = null) =>
        nested is null ? new { type = "library", name, version, purl = $"pkg:npm/{name}@{version}", @bomRef = $"{name}@{version}" }
                       : new { type = "library", name, version, purl = $"pkg:npm/{name}@{version}", @bomRef = $"{name}@{version}", components = nested };

    private static ReleaseSide Build(Side side)
    {
        var surface = new SecuritySurface(side.Routes ?? ["/sign"], side.Roles ?? ["signer"], side.Scopes ?? ["sign:write"], side.Crypto ?? [new CryptoChoice("document-signing", "ES256", 256)]);
        var predicate = new ReleasePredicate("doc-signer", side.Version, $"pkg:generic/doc-signer@{side.Version}", null, null, new BuildProvenance("ci", "repo", "abc", [], null), side.Migrations ?? [], null, surface);
        if (side.NoSbom)
            return new ReleaseSide(predicate, null);
        var bom = new Dictionary<string, object> { ["bomFormat"] = "CycloneDX", ["specVersion"] = "1.6", ["version"] = 1, ["components"] = side.Components ?? [Component("lodash", "4.17.21")] };
        if (side.Vulnerabilities is not null)
            bom["vulnerabilities"] = side.Vulnerabilities;
        return new ReleaseSide(predicate, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(bom).Replace("\"bomRef\"", "\"bom-ref\"", StringComparison.Ordinal)));
    }

    private static RiskAssessment Analyze(Side current, Side target, TargetIntegrity? integrity = null, Func<string, bool>? blobExists = null, VulnerabilityFeed? feed = null) =>
        RiskAnalyzer.Analyze(new RiskInputs(Build(current), Build(target), feed ?? VulnerabilityFeed.Empty, integrity ?? new TargetIntegrity(null, KeyStatus.Valid, "ci"), blobExists ?? (_ => true), Now));

    private VulnerabilityFeed Feed(params (string File, string Json)[] files)
    {
        foreach (var (file, json) in files)
            File.WriteAllText(_feed.Combine(file), json);
        return VulnerabilityFeed.Load(_feed.Path).Value;
    }

    private const string LodashAdvisory = """
        {"id":"GHSA-35jh-r3h4-6jhm","aliases":["CVE-2021-23337"],"database_specific":{"severity":"HIGH"},
         "affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}
        """;

    [Fact]
    public void Identical_releases_have_no_findings_and_low_risk()
    {
        var risk = Analyze(new Side(), new Side("1.0"));

        Assert.Empty(risk.Findings);
        Assert.Equal(RiskLevel.Low, risk.Level);
    }

    public static TheoryData<string, Side, Side, string, Severity> Changes => new()
    {
        { "a downgrade", new Side(), new Side("1.0", [Component("lodash", "4.17.20")]), RiskCodes.ComponentDowngraded, Severity.Medium },
        { "a pre-release is before its release", new Side(Components: [Component("lodash", "5.0.0")]), new Side("1.0", [Component("lodash", "5.0.0-rc.1")]), RiskCodes.ComponentDowngraded, Severity.Medium },
        { "a component the target lacks", new Side(Components: [Component("lodash", "4.17.21"), Component("helmet", "7.0.0")]), new Side("1.0"), RiskCodes.ComponentRemoved, Severity.Low },
        { "a component the target adds back", new Side(), new Side("1.0", [Component("lodash", "4.17.21"), Component("request", "2.88.2")]), RiskCodes.ComponentAdded, Severity.Info },
        { "versions that cannot be ordered", new Side(Components: [Component("lodash", "abc")]), new Side("1.0", [Component("lodash", "xyz")]), RiskCodes.ComponentChanged, Severity.Low },
        { "a nested component downgraded", new Side(Components: [Component("app", "1.0.0", [Component("jsonwebtoken", "9.0.0")])]), new Side("1.0", [Component("app", "1.0.0", [Component("jsonwebtoken", "8.5.1")])]), RiskCodes.ComponentDowngraded, Severity.Medium },
        { "no SBOM for the target", new Side(), new Side("1.0", NoSbom: true), RiskCodes.SbomMissing, Severity.Medium },
        { "a changed signing algorithm", new Side(), new Side("1.0", Crypto: [new CryptoChoice("document-signing", "Ed25519", null)]), RiskCodes.SignatureAlgorithmChanged, Severity.High },
        { "a weaker algorithm", new Side(Crypto: [new CryptoChoice("encryption", "AES-256-GCM", 256)]), new Side("1.0", Crypto: [new CryptoChoice("encryption", "AES-128-GCM", 128)]), RiskCodes.WeakerAlgorithm, Severity.High },
        { "a weaker RSA key", new Side(Crypto: [new CryptoChoice("tls", "RSA", 3072)]), new Side("1.0", Crypto: [new CryptoChoice("tls", "RSA", 1024)]), RiskCodes.WeakerAlgorithm, Severity.High },
        { "a shorter key of an unranked algorithm", new Side(Crypto: [new CryptoChoice("tokens", "house-cipher", 256)]), new Side("1.0", Crypto: [new CryptoChoice("tokens", "house-cipher", 128)]), RiskCodes.ShorterKey, Severity.High },
        { "a role added back", new Side(), new Side("1.0", Roles: ["signer", "admin"]), RiskCodes.RoleAdded, Severity.High },
        { "a scope added back", new Side(), new Side("1.0", Scopes: ["sign:write", "keys:export"]), RiskCodes.ScopeAdded, Severity.High },
        { "a route added back", new Side(), new Side("1.0", Routes: ["/sign", "/debug/keys"]), RiskCodes.RouteAdded, Severity.Medium },
        { "an irreversible migration to undo", new Side(Migrations: [new Migration("0002_drop_legacy", Down, null)]), new Side("1.0"), RiskCodes.MigrationIrreversible, Severity.High },
        { "an embedded vulnerability the target has", new Side(), new Side("1.0", [Component("lodash", "4.17.20")], Vulnerabilities: [new { id = "CVE-2021-23337", ratings = new[] { new { severity = "critical" } }, affects = new[] { new { @ref = "lodash@4.17.20" } } }]), RiskCodes.VulnerabilityReintroduced, Severity.Critical },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Each_change_is_found_with_its_severity(string situation, Side current, Side target, string code, Severity severity)
    {
        var risk = Analyze(current, target);

        var finding = risk.Findings.FirstOrDefault(f => f.Code == code);
        Assert.True(finding is not null, $"{situation}: expected {code}, found {string.Join(", ", risk.Findings.Select(f => f.Code))}");
        Assert.Equal(severity, finding.Severity);
        Assert.Equal(risk.Findings.Max(f => f.Severity) switch { Severity.Critical => RiskLevel.Critical, Severity.High => RiskLevel.High, Severity.Medium => RiskLevel.Medium, _ => RiskLevel.Low }, risk.Level);
    }

    [Fact]
    public void A_down_script_missing_from_the_store_is_found()
    {
        var risk = Analyze(new Side(Migrations: [new Migration("0002_add_index", Down, Down)]), new Side("1.0"), blobExists: _ => false);

        Assert.Equal(RiskCodes.MigrationDownMissing, Assert.Single(risk.Findings).Code);
        Assert.Empty(Analyze(new Side(Migrations: [new Migration("0002_add_index", Down, Down)]), new Side("1.0")).Findings);
    }

    [Fact]
    public void A_vulnerability_fixed_by_the_current_release_is_reintroduced_with_its_cve()
    {
        var risk = Analyze(new Side(), new Side("1.0", [Component("lodash", "4.17.20")]), feed: Feed(("lodash.json", LodashAdvisory)));

        var finding = risk.Findings.Single(f => f.Code == RiskCodes.VulnerabilityReintroduced);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(["GHSA-35jh-r3h4-6jhm (CVE-2021-23337)"], risk.ReintroducedVulnerabilities);
        Assert.True(risk.SecurityRelevant);
    }

    [Fact]
    public void Without_the_current_sbom_the_targets_vulnerabilities_are_reported_as_present_not_reintroduced()
    {
        var risk = Analyze(new Side(NoSbom: true), new Side("1.0", [Component("lodash", "4.17.20")]), feed: Feed(("lodash.json", LodashAdvisory)));

        Assert.Contains(risk.Findings, f => f.Code == RiskCodes.VulnerabilityPresentInTarget && f.Severity == Severity.High);
        Assert.Contains(risk.Findings, f => f.Code == RiskCodes.SbomMissing);
        Assert.Empty(risk.ReintroducedVulnerabilities);
    }

    [Fact]
    public void A_vulnerability_in_both_releases_is_still_present_not_reintroduced()
    {
        var risk = Analyze(new Side(Components: [Component("lodash", "4.17.19")]), new Side("1.0", [Component("lodash", "4.17.15")]), feed: Feed(("lodash.json", LodashAdvisory)));

        Assert.Contains(risk.Findings, f => f.Code == RiskCodes.VulnerabilityStillPresent && f.Severity == Severity.Info);
        Assert.Empty(risk.ReintroducedVulnerabilities);
    }

    [Fact]
    public void A_vex_statement_that_the_target_is_not_affected_suppresses_the_advisory()
    {
        const string vex = """
            {"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"vulnerabilities":[{"id":"CVE-2021-23337",
             "analysis":{"state":"not_affected","justification":"code_not_reachable"},"affects":[{"ref":"pkg:npm/lodash@4.17.20"}]}]}
            """;

        var risk = Analyze(new Side(), new Side("1.0", [Component("lodash", "4.17.20")]), feed: Feed(("lodash.json", LodashAdvisory), ("vex.json", vex)));

        Assert.DoesNotContain(risk.Findings, f => f.Category == "vulnerability");
    }

    [Theory]
    [InlineData("""{"aliases":[]}""", "$.id: is missing")]
    [InlineData("""{"id":"X"}""", "$.affected: is missing or not an array")]
    [InlineData("""{"id":"X","affected":[{"ranges":[]}]}""", "$.affected[0].package")]
    [InlineData("""{"id":"X","affected":[{"package":{"name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":1}]}]}]}""", "$.affected[0].ranges[0].events[0]")]
    [InlineData("""{"id":""", "not valid JSON")]
    public void A_malformed_feed_file_is_refused_naming_the_file_and_field(string json, string message)
    {
        File.WriteAllText(_feed.Combine("bad.json"), json);

        var feed = VulnerabilityFeed.Load(_feed.Path);

        Assert.Equal(ErrorCodes.FeedInvalid, feed.Problem?.Code);
        Assert.Contains("bad.json", feed.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains(message, feed.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cyclonedx_crypto_vector_shows_an_expired_certificate_and_weaker_assets()
    {
        var vector = File.ReadAllBytes(SharedFiles.Vector("cyclonedx", "valid-cryptography-full-1.6.json"));
        var stronger = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(vector).Replace("\"classicalSecurityLevel\": 128", "\"classicalSecurityLevel\": 256", StringComparison.Ordinal).Replace("\"size\": 1024", "\"size\": 4096", StringComparison.Ordinal));
        var current = Build(new Side()) with { SbomJson = stronger };
        var target = Build(new Side("1.0")) with { SbomJson = vector };

        var risk = RiskAnalyzer.Analyze(new RiskInputs(current, target, VulnerabilityFeed.Empty, new TargetIntegrity(null, KeyStatus.Valid, "ci"), _ => true, Now));

        Assert.Contains(risk.Findings, f => f.Code == RiskCodes.CertificateExpired && f.Evidence["notValidAfter"].StartsWith("2024-01-01", StringComparison.Ordinal));
        Assert.Contains(risk.Findings, f => f.Code == RiskCodes.WeakerAlgorithm && f.Evidence["target"] == "128" && f.Evidence["current"] == "256");
        Assert.Contains(risk.Findings, f => f.Code == RiskCodes.ShorterKey && f.Evidence["target"] == "1024");
    }

    public static TheoryData<TargetIntegrity, string, Severity, bool> Integrity => new()
    {
        { new TargetIntegrity(new Problem(ErrorCodes.BlobCorrupt, "blob altered"), KeyStatus.Valid, "ci"), RiskCodes.VerificationFailed, Severity.Critical, true },
        { new TargetIntegrity(null, KeyStatus.Revoked, "ci-2025"), RiskCodes.SignerKeyRevoked, Severity.Critical, true },
        { new TargetIntegrity(null, KeyStatus.Rotated, "ci-2025"), RiskCodes.SignerKeyRotated, Severity.Info, false },
    };

    [Theory]
    [MemberData(nameof(Integrity))]
    public void The_targets_integrity_decides_whether_it_may_be_rolled_back_to(TargetIntegrity integrity, string code, Severity severity, bool refused)
    {
        var risk = Analyze(new Side(), new Side("1.0"), integrity);

        Assert.Equal((code, severity), (Assert.Single(risk.Findings).Code, risk.Findings[0].Severity));
        Assert.Equal(refused, risk.IntegrityFailed);
    }

    [Fact]
    public void Findings_come_in_a_fixed_order_and_serialise_with_stable_names()
    {
        var target = new Side("1.0", [Component("lodash", "4.17.20")], Roles: ["signer", "admin"], Crypto: [new CryptoChoice("document-signing", "Ed25519", null)]);

        var first = Analyze(new Side(), target);
        var json = JsonSerializer.Serialize(first, Rollproof.Formats.PredicateJson.Options);

        Assert.Equal(first.Findings.Select(f => (f.Code, f.Message)), Analyze(new Side(), target).Findings.Select(f => (f.Code, f.Message)));
        Assert.Equal([Severity.High, Severity.High, Severity.Medium], first.Findings.Select(f => f.Severity));
        Assert.Contains("\"level\":\"high\"", json, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"authorization.role-added\"", json, StringComparison.Ordinal);
    }
}
