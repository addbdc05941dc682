namespace Rollproof.Testing;

/// <summary>
/// sigstore-js as Sigstore clients run it: @sigstore/verify and @sigstore/sign, pinned by the package-lock.json in
/// tests/Rollproof.Integration.Tests/SigstoreVerify and installed there with npm ci when missing (once per fixture).
/// </summary>
public sealed class SigstoreJs
{
    private static readonly string[] Packages = ["verify", "sign"];

    public SigstoreJs()
    {
        Package = Path.Combine(SharedFiles.RepositoryRoot, "tests", "Rollproof.Integration.Tests", "SigstoreVerify");
        if (Packages.All(p => Directory.Exists(Path.Combine(Package, "node_modules", "@sigstore", p))))
            return;
        var installed = ExternalProcess.Run("npm", ["ci", "--prefix", Package, "--no-audit", "--no-fund"], timeout: TimeSpan.FromMinutes(5));
        if (installed.ExitCode != 0)
            throw new InvalidOperationException("npm ci for @sigstore/verify and @sigstore/sign failed: " + installed.Error);
    }

    public string Package { get; }

    /// <summary>Verifies a bundle offline against a trusted root and the signer's key (and the artifact, for a message signature): exit 0 or 1.</summary>
    public ExternalProcess.Outcome Verify(string bundle, string trustedRoot, string publicKey, string? artifact = null) =>
        ExternalProcess.Run("node", [Path.Combine(Package, "verify.js"), bundle, trustedRoot, publicKey, .. artifact is null ? Array.Empty<string>() : [artifact]], timeout: TimeSpan.FromMinutes(1));

    /// <summary>Signs <paramref name="artifact"/> with a local key and logs it to the Rekor at <paramref name="rekorUrl"/>, writing the bundle.</summary>
    public ExternalProcess.Outcome Sign(Uri rekorUrl, string kind, string artifact, string privateKeyPem, string bundle) =>
        ExternalProcess.Run("node", [Path.Combine(Package, "sign.js"), rekorUrl.ToString().TrimEnd('/'), kind, artifact, privateKeyPem, bundle], timeout: TimeSpan.FromMinutes(1));
}
