using Rollproof.Sigstore.Verification;
using Rollproof.Testing;

namespace Rollproof.Tests.Sigstore.Verification;

/// <summary>
/// One folder of testvectors/sigstore-bundles, read by the conventions of testvectors/README.md: `_fail` folders must
/// be rejected; the artifact is the folder's `artifact`, else `a.txt`; `key.pub` means key verification, otherwise the
/// folder's `identity` and `issuer` (or the conformance beacon's) are expected.
/// </summary>
public sealed record SigstoreVector(string Name)
{
    public const string BeaconIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    public const string BeaconIssuer = "https://token.actions.githubusercontent.com";

    public static IEnumerable<string> Names =>
        Directory.GetDirectories(SharedFiles.Vector("sigstore-bundles")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public string Folder => SharedFiles.Vector("sigstore-bundles", Name);

    public bool MustFail => Name.EndsWith("_fail", StringComparison.Ordinal);

    public string ArtifactPath => File.Exists(In("artifact")) ? In("artifact") : SharedFiles.Vector("sigstore-bundles", "a.txt");

    public string BundlePath => In("bundle.sigstore.json");

    public string TrustedRootPath => In("trusted_root.json");

    public string? KeyPath => File.Exists(In("key.pub")) ? In("key.pub") : null;

    public string Identity => File.Exists(In("identity")) ? File.ReadAllText(In("identity")).Trim() : BeaconIdentity;

    public string Issuer => File.Exists(In("issuer")) ? File.ReadAllText(In("issuer")).Trim() : BeaconIssuer;

    public TrustedRootMaterial TrustedRoot => TrustedRootMaterial.Parse(File.ReadAllBytes(TrustedRootPath)).Value;

    public ExpectedSigner Signer =>
        KeyPath is { } key
            ? ExpectedSigner.Key(Convert.FromBase64String(string.Concat(File.ReadAllLines(key).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))))
            : ExpectedSigner.Certificate(Identity, Issuer);

    public BundleArtifact Artifact(bool asDigest)
    {
        var bytes = File.ReadAllBytes(ArtifactPath);
        var artifact = BundleArtifact.FromBytes(bytes);
        return asDigest ? BundleArtifact.FromDigest(artifact.Sha256) : artifact;
    }

    public string DigestArgument => BundleArtifact.FromBytes(File.ReadAllBytes(ArtifactPath)).ToString();

    private string In(string file) => Path.Combine(Folder, file);
}
