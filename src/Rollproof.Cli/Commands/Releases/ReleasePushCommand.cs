using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;
using Rollproof.Storage;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleasePushCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli, "The store the release was published to");
        var app = new Option<string>("--app") { Description = "The application", Required = true };
        var version = new Option<string>("--version") { Description = "The version; it becomes the tag ('+' written as '_')", Required = true };
        var to = new Option<string>("--to") { Description = "The repository: oci+https://HOST/REPOSITORY (or oci+http:// for a registry on loopback)", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("push", "Push a published release to an OCI registry: its files and statement as one artifact manifest tagged with the version, and its signed envelope (and Sigstore bundle) as a manifest about it, tagged sha256-<digest of the release manifest>.")
        {
            store, app, version, to, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var url = parse.GetValue(to)!;
            var repository = OciRepository.Parse(url.StartsWith("oci+", StringComparison.Ordinal) ? url[4..] : url);
            if (!repository.IsOk)
                return cli.Fail(repository.Problem, asJson);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
            var pushed = await OciReleasePusher.PushAsync(opened.Value, parse.GetValue(app)!, parse.GetValue(version)!, new OciRegistryClient(http, repository.Value), cancellation);
            if (!pushed.IsOk)
                return cli.Fail(pushed.Problem, asJson);
            var p = pushed.Value;
            if (asJson)
                cli.WriteJson(new { repository = url, tag = p.Tag, manifest = p.ReleaseManifest.ToString(), signatureTag = p.SignatureTag, signatureManifest = p.SignatureManifest.ToString() });
            else
                cli.Out.WriteLine($"pushed {parse.GetValue(app)} {parse.GetValue(version)} to {repository.Value.Name}:{p.Tag} ({p.ReleaseManifest}); signature at :{p.SignatureTag} ({p.SignatureManifest})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
