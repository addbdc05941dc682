using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleasePublishCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli, "The store (see 'rollproof init')");
        var draft = new ReleaseDraftOptions();
        var envelope = new Option<string?>("--envelope") { Description = "Publish an envelope signed with 'release sign' instead (its files must already be in the store, from 'release create')" };
        var bundle = new Option<string?>("--bundle") { Description = "Also write a Sigstore bundle v0.3 of the release statement to this file (verify it with any Sigstore client and 'rollproof trusted-root'); with --envelope, give the signer's --signer-public-key" };
        var signer = new SignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("publish", "Sign a release statement (artifacts by digest, SBOM, provenance, migrations, rollback script, security surface), store every file by digest, append the envelope to the log and write its receipt.")
        {
            store, envelope, bundle, json,
        };
        foreach (var option in draft.All.Concat(signer.All))
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetResult(envelope) is not null)
            {
                var bundleKey = result.GetResult(bundle) is not null ? signer.SignerPublicKey : null;
                if (draft.All.Concat(signer.All).Any(o => o != bundleKey && result.GetResult(o) is not null))
                    result.AddError("--envelope publishes a signed envelope as it is: give no release files or signer with it (only --signer-public-key, for --bundle)");
                if (bundleKey is not null && result.GetResult(bundleKey) is null)
                    result.AddError("--bundle with --envelope needs --signer-public-key: the key that signed the envelope");
                return;
            }
            draft.Validate(result);
            signer.Validate(result);
        });
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var bundleFile = parse.GetValue(bundle);
            if (bundleFile is not null && File.Exists(bundleFile))
                return cli.Fail(ErrorCodes.InputMalformed, $"'{bundleFile}' already exists: refusing to overwrite it", asJson);
            if (parse.GetValue(envelope) is { } envelopeFile)
            {
                var signed = InputFile.Read(envelopeFile, Transparency.EntryBundle.MaxEntrySize, "envelope file");
                if (!signed.IsOk)
                    return cli.Fail(signed.Problem, asJson);
                PublicKey? bundleSigner = null;
                if (bundleFile is not null)
                {
                    var key = signer.ReadPublicKey(parse);
                    if (!key.IsOk)
                        return cli.Fail(key.Problem, asJson);
                    bundleSigner = key.Value;
                }
                return Report(await opened.Value.PublishEnvelopeAsync(signed.Value, TimeProvider.System, bundleSigner, cancellation), opened.Value, bundleFile, cli, asJson);
            }
            var release = draft.Read(parse);
            if (!release.IsOk)
                return cli.Fail(release.Problem, asJson);
            var resolved = signer.Resolve(parse, cli);
            if (!resolved.IsOk)
                return cli.Fail(resolved.Problem, asJson);
            Result<PublishedRelease> published;
            try
            {
                published = await opened.Value.PublishAsync(release.Value, resolved.Value, TimeProvider.System, bundleFile is not null, cancellation);
            }
            finally
            {
                (resolved.Value as IDisposable)?.Dispose();
            }
            return Report(published, opened.Value, bundleFile, cli, asJson);
        });
        return command;
    }

    private static int Report(Result<PublishedRelease> published, ReleaseStore store, string? bundleFile, CliContext cli, bool asJson)
    {
        if (!published.IsOk)
            return cli.Fail(published.Problem, asJson);
        var (record, receipt, signedBy, bundle, firstUse) = published.Value;
        if (bundleFile is not null && bundle is not null)
        {
            using var file = new FileStream(bundleFile, FileMode.CreateNew, FileAccess.Write);
            file.Write(bundle);
        }
        if (firstUse is not null)
            cli.Error.WriteLine($"note: the store's trust named no release key, so key {firstUse.Key.KeyId} is now trusted to sign releases as '{firstUse.Name}' (trust on first use, logged as the key change at index {firstUse.AddedAt}); revoke it with 'rollproof trust revoke' if that was not meant");
        Ledger.IndexAccess.CatchUpAfterAppend(store, cli);
        if (asJson)
            cli.WriteJson(new { app = record.App, version = record.Version, logIndex = record.LogIndex, loggedAt = record.Logged?.Time, envelopeDigest = record.EnvelopeDigest, signedBy, receipt = receipt.Format(), bundle = bundleFile, trustedOnFirstUse = firstUse?.Name });
        else
            cli.Out.WriteLine($"published {record.App} {record.Version}: log index {record.LogIndex}, logged at {record.Logged?.Time:O}, envelope {record.EnvelopeDigest}, signed by {signedBy}{(bundleFile is null ? "" : $", Sigstore bundle {bundleFile}")}");
        return ExitCodes.Ok;
    }
}
