using System.Text;
using Rollproof.Rollbacks.Risk;

namespace Rollproof.Fuzz.Seeds;

/// <summary>Vulnerability feed files: OSV records of each range kind (written here: the vectors hold none) and the CycloneDX VEX vector.</summary>
internal static class FeedSeeds
{
    private static readonly string[] Osv =
    [
        """{"id":"GHSA-35jh-r3h4-6jhm","aliases":["CVE-2021-23337"],"database_specific":{"severity":"HIGH"},"affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}""",
        """{"id":"PYSEC-1","modified":"2026-01-01T00:00:00Z","withdrawn":"2026-02-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"requests","purl":"pkg:pypi/requests"},"versions":["2.0.0","2.0.1"],"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"last_affected":"2.0.1"}]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}]}""",
        """{"id":"GO-1","affected":[{"package":{"ecosystem":"Go","name":"example.com/m"},"ranges":[{"type":"GIT","repo":"https://example.com/m","events":[{"introduced":"0"},{"limit":"abc"}]}]}]}""",
    ];

    public static IReadOnlyList<byte[]> Files() => [.. Osv.Select(Encoding.UTF8.GetBytes), .. SharedSeeds.Vectors("cyclonedx", "valid-vulnerability-1.6.json")];

    /// <summary>Stored feeds as <see cref="FeedFiles.ToBlob"/> writes them: each file alone, and all together.</summary>
    public static IReadOnlyList<byte[]> Blobs()
    {
        var files = Files().Select((bytes, i) => (Name: Path.Combine("/feed", $"{i}.json"), Bytes: bytes)).ToList();
        return [.. files.Select(f => new FeedFiles([f]).ToBlob("/feed")), new FeedFiles(files).ToBlob("/feed")];
    }
}
