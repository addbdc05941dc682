using System.Text;
using System.Text.Json;
using Rollproof.Releases;
using Rollproof.Rollbacks.Risk;
using Rollproof.Testing;

namespace Rollproof.Tests.Rollbacks.Risk;

/// <summary>The risk analysis on SPDX SBOMs: packages are components keyed by their purl, so findings fire as for CycloneDX.</summary>
public sealed class SpdxRiskTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _feed = new();

    public void Dispose() => _feed.Dispose();

    private const string LodashAdvisory = """
        {"id":"GHSA-35jh-r3h4-6jhm","aliases":["CVE-2021-23337"],"database_specific":{"severity":"HIGH"},
         "affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}
        """;

    private static readonly string[] Creators = ["Tool: test"];

    private static byte[] Spdx(string lodash) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["spdxVersion"] = "SPDX-2.3",
        ["dataLicense"] = "CC0-1.0",
        ["SPDXID"] = "SPDXRef-DOCUMENT",
        ["name"] = "doc-signer",
        ["documentNamespace"] = "https://example.com/spdx/doc-signer",
        ["creationInfo"] = new { created = "2026-10-01T00:00:00Z", creators = Creators },
        ["packages"] = new[]
        {
            new
            {
                SPDXID = "SPDXRef-lodash", name = "lodash", versionInfo = lodash, downloadLocation = "NOASSERTION",
                externalRefs = new[] { new { referenceCategory = "PACKAGE-MANAGER", referenceType = "purl", referenceLocator = $"pkg:npm/lodash@{lodash}" } },
            },
        },
    }));

    private static byte[] CycloneDx(string lodash) => Encoding.UTF8.GetBytes(
        $$"""{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"lodash","version":"{{lodash}}","purl":"pkg:npm/lodash@{{lodash}}"}]}""");

    private static ReleaseSide Side(string version, byte[] sbom)
    {
        var surface = new SecuritySurface([], [], [], []);
        var predicate = new ReleasePredicate("doc-signer", version, $"pkg:generic/doc-signer@{version}", null, null, new BuildProvenance("ci", "repo", "abc", [], null), [], null, surface);
        var side = ReleaseSide.Of(predicate, sbom, 1);
        Assert.True(side.IsOk, side.Problem?.Message);
        return side.Value;
    }

    private RiskAssessment Analyze(byte[] current, byte[] target)
    {
        File.WriteAllText(_feed.Combine("lodash.json"), LodashAdvisory);
        var feed = VulnerabilityFeed.Load(_feed.Path).Value;
        return RiskAnalyzer.Analyze(new RiskInputs(Side("2.0", current), Side("1.0", target), feed, new TargetIntegrity(null, KeyStatus.Valid, "ci"), _ => true, Now));
    }

    [Fact]
    public void A_vulnerability_reintroduced_between_two_spdx_releases_is_found_with_its_cve()
    {
        var risk = Analyze(Spdx("4.17.21"), Spdx("4.17.20"));

        Assert.Equal(["GHSA-35jh-r3h4-6jhm (CVE-2021-23337)"], risk.ReintroducedVulnerabilities);
        Assert.Contains(risk.Findings, f => f.Code == RiskCodes.ComponentDowngraded);
    }

    [Fact]
    public void An_spdx_release_and_a_cyclonedx_release_compare_by_purl()
    {
        var risk = Analyze(CycloneDx("4.17.21"), Spdx("4.17.20"));

        Assert.Equal(["GHSA-35jh-r3h4-6jhm (CVE-2021-23337)"], risk.ReintroducedVulnerabilities);
        Assert.DoesNotContain(risk.Findings, f => f.Code is RiskCodes.ComponentAdded or RiskCodes.ComponentRemoved);
    }

    [Fact]
    public void Identical_spdx_releases_have_no_findings()
    {
        Assert.Empty(Analyze(Spdx("4.17.21"), Spdx("4.17.21")).Findings);
    }
}
