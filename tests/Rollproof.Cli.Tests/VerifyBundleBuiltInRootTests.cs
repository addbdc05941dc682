using Rollproof.Cli.Infrastructure;
using Rollproof.Testing;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Without <c>--trusted-root</c>, <c>verify-bundle</c> trusts Sigstore's built-in roots: a bundle logged on Sigstore's
/// staging Rekor (the managed-key vector) verifies with <c>--staging</c>, and fails against the public-good root.
/// </summary>
public class VerifyBundleBuiltInRootTests
{
    private static readonly string[] Staging = ["--staging"];

    [Theory]
    [InlineData(true, ExitCodes.Ok)]
    [InlineData(false, ExitCodes.VerificationFailed)]
    public void A_bundle_logged_on_staging_verifies_only_against_the_built_in_staging_root(bool staging, int exitCode)
    {
        var run = CliRunner.Run(["verify-bundle", "--bundle", SharedFiles.Vector("sigstore-bundles", "managed-key-and-trusted-root", "bundle.sigstore.json"),
            "--key", SharedFiles.Vector("sigstore-bundles", "managed-key-and-trusted-root", "key.pub"), .. staging ? Staging : [],
            SharedFiles.Vector("sigstore-bundles", "a.txt")]);

        Assert.True(run.ExitCode == exitCode, run.Error + run.Out);
    }
}
