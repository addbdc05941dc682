using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A release that ships a container image by digest: published with --image (its manifest fetched from a registry
/// on loopback), rolled back to, and deployed by a runbook through {{target.image}} as HOST/REPO@sha256:….
/// </summary>
public sealed class ImageRollbackTests : GovernedStoreTests
{
    private static readonly byte[] Index = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""");
    private static readonly string IndexDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Index));

    // Just enough of a registry to serve one index by digest (the real registry is in the integration tests).
    private readonly LoopbackHttp _registry = new(async call =>
    {
        if (call.Request.Url!.AbsolutePath != $"/v2/team/web/manifests/{IndexDigest}")
        {
            call.Response.StatusCode = 404;
            return;
        }
        call.Response.ContentType = "application/vnd.oci.image.index.v1+json";
        await call.Response.OutputStream.WriteAsync(Index);
    });

    private string Image => $"127.0.0.1:{_registry.Port}/team/web@{IndexDigest}";

    protected override void Dispose(bool disposing)
    {
        _registry.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public void A_runbook_deploys_the_target_image_by_digest()
    {
        var build = Dir.Combine("build-1.2");
        Directory.CreateDirectory(build);
        File.WriteAllText(Path.Combine(build, "app.tar"), "doc-signer 1.2");
        Ok("release", "publish", "--store", Store, "--app", "doc-signer", "--version", "1.2", "--artifact", Path.Combine(build, "app.tar"), "--image", $"web={Image}", "--key", Key("ci"));
        Release("1.3", lodash: "4.17.21", signing: "Ed25519", migrations: false);
        foreach (var version in (string[])["1.2", "1.3"])
            Ok("deploy", "record", "--store", Store, "--env", "prod", "--app", "doc-signer", "--version", version, "--key", Key("ops"), "--state", State);
        var request = JsonDocument.Parse(Ok("rollback", "request", "--store", Store, "--env", "prod", "--to", "1.2", "--reason", "critical-bug", "--rationale", "1.3 breaks signing",
            "--ticket", "INC-4712", "--key", Key("alice"), "--state", State, "--json").Out).RootElement.GetProperty("logIndex").GetInt64();
        foreach (var approver in (string[])["carol", "dave", "erin"])
            Assert.Equal(ExitCodes.Ok, Decide("approve", request, approver).ExitCode);
        var output = Dir.Combine("deployed.txt");
        var runbook = Dir.Combine("image.yaml");
        File.WriteAllText(runbook, $"name: image\nsteps:\n  - {{ id: deploy, uses: command, with: {{ run: 'echo \"{{{{target.image}}}} {{{{target.image.web}}}} {{{{target.artifact}}}}\" >> {output}' }} }}\n");

        var executed = Execute(request, runbook);

        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error + executed.Out);
        var appDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData("doc-signer 1.2"u8));
        Assert.Equal([$"{Image} {Image} {appDigest}"], File.ReadAllLines(output));
    }

    [Fact]
    public void A_tag_is_refused_as_a_usage_error_and_nothing_is_published()
    {
        var published = Run("release", "publish", "--store", Store, "--app", "doc-signer", "--version", "1.2", "--image", $"web=127.0.0.1:{_registry.Port}/team/web:1.2", "--key", Key("ci"), "--json");

        Assert.Equal(ExitCodes.Usage, published.ExitCode);
        Assert.Contains("no digest", published.Error + published.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Store, "releases", "doc-signer", "1.2.json")));
    }

    [Fact]
    public void Verify_says_the_registry_was_asked_or_that_only_the_statement_was_checked_offline()
    {
        Ok("release", "publish", "--store", Store, "--app", "doc-signer", "--version", "1.2", "--image", $"web={Image}", "--key", Key("ci"));
        string[] verify = ["release", "verify", "--store", Store, "--app", "doc-signer", "--version", "1.2", "--state", State];

        var online = Ok(verify);
        var offline = Ok([.. verify, "--offline"]);

        Assert.Contains($"image web {Image}: manifest matches the signed digest", online.Out, StringComparison.Ordinal);
        Assert.Contains($"image web {Image}: only the signed statement was checked, offline", offline.Out, StringComparison.Ordinal);
        Assert.Contains("0 artifact(s) intact", offline.Out, StringComparison.Ordinal);
    }
}
