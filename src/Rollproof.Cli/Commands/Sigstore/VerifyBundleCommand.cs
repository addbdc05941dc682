using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Sigstore.Verification;

namespace Rollproof.Cli.Commands.Sigstore;

/// <summary>
/// <c>rollproof verify-bundle</c>: a Sigstore bundle verified offline, with the command line of the Sigstore
/// conformance CLI protocol so the public conformance suite can drive it.
/// </summary>
internal static class VerifyBundleCommand
{
    public static Command Create(CliContext cli)
    {
        var staging = new Option<bool>("--staging") { Description = "Trust Sigstore's staging instance (its built-in trusted root) instead of the public-good one" };
        var bundle = new Option<string>("--bundle") { Description = "The Sigstore bundle (JSON, v0.1 to v0.3)", Required = true };
        var identity = new Option<string?>("--certificate-identity") { Description = "The identity (SAN URI or email) the signing certificate must be issued to" };
        var issuer = new Option<string?>("--certificate-oidc-issuer") { Description = "The OIDC issuer the signing certificate must record" };
        var key = new Option<string?>("--key") { Description = "The signer's PEM public key, for a bundle signed with a key rather than a certificate" };
        var trustedRoot = new Option<string?>("--trusted-root") { Description = "A Sigstore trusted_root.json to trust instead of the built-in one" };
        var artifact = new Argument<string>("FILE_OR_DIGEST") { Description = "The artifact, or its digest as sha256:<64 hex digits>" };
        var json = CommonOptions.Json();
        var command = new Command("verify-bundle", "Verify a Sigstore bundle offline: its signature over the artifact, its signer (a key, or a certificate's identity and issuer), timestamps and transparency-log entries, against a trusted root. Give --key, or both --certificate-identity and --certificate-oidc-issuer.")
        {
            staging, bundle, identity, issuer, key, trustedRoot, artifact, json,
        };
        command.Validators.Add(result =>
        {
            var keyless = (result.GetResult(identity) is not null, result.GetResult(issuer) is not null);
            if (result.GetResult(key) is not null ? keyless != (false, false) : keyless != (true, true))
                result.AddError("give --key, or both --certificate-identity and --certificate-oidc-issuer");
        });
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var expected = ExpectedSignerOf(parse.GetValue(key), parse.GetValue(identity), parse.GetValue(issuer));
            if (!expected.IsOk)
                return cli.Fail(expected.Problem, asJson);
            var root = SigstoreTrustedRootFile.Load(parse.GetValue(trustedRoot), parse.GetValue(staging));
            if (!root.IsOk)
                return cli.Fail(root.Problem, asJson);
            var bundlePath = parse.GetValue(bundle)!;
            var bundleBytes = InputFile.Read(bundlePath, SigstoreBundleVerifier.MaxBundleSize, "bundle");
            if (!bundleBytes.IsOk)
                return cli.Fail(bundleBytes.Problem, asJson);
            var subject = ArtifactInput.Read(parse.GetValue(artifact)!);
            if (!subject.IsOk)
                return cli.Fail(subject.Problem, asJson);
            var verified = SigstoreBundleVerifier.Verify(bundleBytes.Value, subject.Value, expected.Value, root.Value, DateTimeOffset.UtcNow);
            if (!verified.IsOk)
                return cli.Fail(verified.Problem with { Message = $"bundle '{bundlePath}': {verified.Problem.Message}" }, asJson);
            Report(cli, verified.Value, subject.Value, asJson);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Result<ExpectedSigner> ExpectedSignerOf(string? keyFile, string? identity, string? issuer)
    {
        if (keyFile is null)
            return Result<ExpectedSigner>.Ok(ExpectedSigner.Certificate(identity!, issuer!));
        var spki = PemPublicKey.Read(keyFile);
        return spki.IsOk ? Result<ExpectedSigner>.Ok(ExpectedSigner.Key(spki.Value)) : spki.Problem;
    }

    private static void Report(CliContext cli, VerifiedBundle bundle, BundleArtifact artifact, bool asJson)
    {
        var times = bundle.VerifiedTimes.Select(t => t.UtcDateTime).ToList();
        if (asJson)
        {
            cli.WriteJson(new
            {
                verified = true,
                artifact = artifact.ToString(),
                mediaType = bundle.MediaType,
                signer = bundle.CertificateIdentity is null ? "key" : "certificate",
                identity = bundle.CertificateIdentity,
                issuer = bundle.CertificateIssuer,
                verifiedTimes = times,
                tlogEntries = bundle.TlogEntries.Select(e => new { kind = e.Kind, version = e.Version, logIndex = e.LogIndex, integratedTime = e.IntegratedTime }),
            });
            return;
        }
        var signer = bundle.CertificateIdentity is null ? "the given key" : $"'{bundle.CertificateIdentity}' (issuer '{bundle.CertificateIssuer}')";
        cli.Out.WriteLine($"verified: {artifact} signed by {signer}; {bundle.TlogEntries.Count} log entr{(bundle.TlogEntries.Count == 1 ? "y" : "ies")}, first verified time {times.Min():u}");
    }
}
