using System.Text.Json;
using Rollproof.Sigstore.Verification;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// The built-in Sigstore trusted roots are the data they claim to be: the public-good root equals the one in the pinned
/// @sigstore/tuf's seeds.json (installed with npm ci by scripts/update-sigstore-roots.sh), and the assembly carries
/// exactly the committed files.
/// </summary>
public class SigstoreTrustedRootsTests
{
    private static readonly string Folder = Path.Combine(SharedFiles.RepositoryRoot, "src", "Rollproof", "Sigstore", "Verification", "TrustedRoots");

    [Fact]
    public void Public_good_root_equals_the_pinned_sigstore_tuf_seeds()
    {
        var script = Path.Combine(SharedFiles.RepositoryRoot, "scripts", "update-sigstore-roots.sh");
        var checkedRoot = ExternalProcess.Run("bash", [script, "--check"], timeout: TimeSpan.FromMinutes(5));
        Assert.True(checkedRoot.ExitCode == 0, checkedRoot.Error + checkedRoot.Out);
    }

    [Fact]
    public void The_assembly_carries_the_committed_files()
    {
        Assert.Equal(File.ReadAllBytes(Path.Combine(Folder, "public-good.trusted_root.json")), SigstoreTrustedRoots.PublicGood.ToArray());
        Assert.Equal(File.ReadAllBytes(Path.Combine(Folder, "staging.trusted_root.json")), SigstoreTrustedRoots.Staging.ToArray());
    }

    [Theory]
    [InlineData(false, "https://rekor.sigstore.dev")]
    [InlineData(true, "https://rekor.sigstage.dev")]
    public void Each_root_names_its_own_instance(bool staging, string rekor)
    {
        var bytes = staging ? SigstoreTrustedRoots.Staging : SigstoreTrustedRoots.PublicGood;
        using var root = JsonDocument.Parse(bytes);
        Assert.StartsWith("application/vnd.dev.sigstore.trustedroot+json", root.RootElement.GetProperty("mediaType").GetString(), StringComparison.Ordinal);
        Assert.Contains(rekor, root.RootElement.GetProperty("tlogs").EnumerateArray().Select(t => t.GetProperty("baseUrl").GetString()));
        var parsed = TrustedRootMaterial.Parse(bytes.ToArray());
        Assert.True(parsed.IsOk, parsed.IsOk ? "" : parsed.Problem.Message);
    }
}
