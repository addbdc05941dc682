using System.CommandLine;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleasePublishCommand
{
    public static Command Create(CliContext cli)
    {
        var store = new Option<string>("--store") { Description = "The store (see 'rollproof init')", Required = true };
        var draft = new ReleaseDraftOptions();
        var envelope = new Option<string?>("--envelope") { Description = "Publish an envelope signed with 'release sign' instead (its files must already be in the store, from 'release create')" };
        var signer = new ReleaseSignerOptions();
        var json = CommonOptions.Json();
        var command = new Command("publish", "Sign a release statement (artifacts by digest, SBOM, provenance, migrations, rollback script, security surface), store every file by digest, append the envelope to the log and write its receipt.")
        {
            store, envelope, json,
        };
        foreach (var option in draft.All.Concat(signer.All))
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetResult(envelope) is not null)
            {
                if (draft.All.Concat(signer.All).Any(o => result.GetResult(o) is not null))
                    result.AddError("--envelope publishes a signed envelope as it is: give no release files or signer with it");
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
            if (parse.GetValue(envelope) is { } envelopeFile)
            {
                var signed = LogAccess.ReadInput(envelopeFile, Transparency.EntryBundle.MaxEntrySize, "envelope file");
                if (!signed.IsOk)
                    return cli.Fail(signed.Problem, asJson);
                return Report(await opened.Value.PublishEnvelopeAsync(signed.Value, TimeProvider.System, cancellation), cli, asJson);
            }
            var release = draft.Read(parse);
            if (!release.IsOk)
                return cli.Fail(release.Problem, asJson);
            var key = signer.Resolve(parse, cli);
            if (!key.IsOk)
                return cli.Fail(key.Problem, asJson);
            Result<PublishedRelease> published;
            try
            {
                published = await opened.Value.PublishAsync(release.Value, key.Value, TimeProvider.System, cancellation);
            }
            finally
            {
                (key.Value as IDisposable)?.Dispose();
            }
            return Report(published, cli, asJson);
        });
        return command;
    }

    private static int Report(Result<PublishedRelease> published, CliContext cli, bool asJson)
    {
        if (!published.IsOk)
            return cli.Fail(published.Problem, asJson);
        var (record, receipt, signedBy) = published.Value;
        if (asJson)
            cli.WriteJson(new { app = record.App, version = record.Version, logIndex = record.LogIndex, envelopeDigest = record.EnvelopeDigest, signedBy, receipt = receipt.Format() });
        else
            cli.Out.WriteLine($"published {record.App} {record.Version}: log index {record.LogIndex}, envelope {record.EnvelopeDigest}, signed by {signedBy}");
        return ExitCodes.Ok;
    }
}
