using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleaseVerifyCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var app = new Option<string>("--app") { Description = "The application", Required = true };
        var version = new Option<string>("--version") { Description = "The version", Required = true };
        var trust = new Option<string?>("--trust") { Description = "Your trust file: which keys may sign releases, and when, and the log's key (kind checkpoint) that checkpoints and entry timestamps must be signed by. Default: the trust the store's own log establishes, which takes the store's word for all of it; bring your own to not" };
        var state = new Option<string?>("--state") { Description = "This verifier's memory of the last checkpoint it saw, which every later one must extend (default: ~/.config/rollproof/seen/, one file per origin and log key; without --trust or --log-key, a log key other than the one seen before for the origin is refused), kept outside the store it checks" };
        var logKey = new Option<string?>("--log-key", "--log-vkey") { Description = "The log's verifier key (a C2SP verifier key string named after the origin) to check checkpoints and entry timestamps with, in place of the trust file's log key; never the key the store records" };
        var tlogPolicy = CommonOptions.TlogPolicy();
        var offline = new Option<bool>("--offline") { Description = "Do not ask the registries of the release's container images for their manifests: check the signed statement and the copies the store keeps only" };
        var json = CommonOptions.Json();
        var command = new Command("verify", "Verify a release: its signature by a key trusted for releases, its inclusion in the log under a checkpoint consistent with the last one seen, every artifact's digest, and each container image's manifest as its registry serves it now (a registry that cannot be reached is reported, not counted as a match). Exit 0 only if all hold.")
        {
            store, app, version, trust, state, logKey, tlogPolicy, offline, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var trustFile = ReadTrust(opened.Value, parse.GetValue(trust));
            if (!trustFile.IsOk)
                return cli.Fail(trustFile.Problem, asJson);
            var origin = opened.Value.Log.Config.Origin;
            var anchor = parse.GetValue(logKey) is { } given ? LogAnchor.FromVerifierKey(given, origin) : LogAnchor.FromTrust(trustFile.Value, origin);
            if (!anchor.IsOk)
                return cli.Fail(anchor.Problem, asJson);
            var witnesses = LogAccess.LoadOptionalPolicy(parse.GetValue(tlogPolicy));
            if (!witnesses.IsOk)
                return cli.Fail(witnesses.Problem, asJson);
            var anchored = anchor.Value with { Witnesses = witnesses.Value };
            var stateFile = parse.GetValue(state);
            if (stateFile is null)
            {
                stateFile = VerifierState.DefaultPath(origin, anchored.Key);
                var storeChoseTheKey = parse.GetValue(trust) is null && parse.GetValue(logKey) is null;
                if (storeChoseTheKey && VerifierState.CheckPinned(stateFile, origin) is { } unpinned)
                    return cli.Fail(unpinned, asJson);
            }
            var verified = await ReleaseVerifier.VerifyAsync(opened.Value, parse.GetValue(app)!, parse.GetValue(version)!, trustFile.Value, anchored, stateFile, cancellation);
            if (!verified.IsOk)
                return cli.Fail(verified.Problem, asJson);
            var v = verified.Value;
            IReadOnlyList<ImageCheck> images = [.. v.Images.Select(i => new ImageCheck(i, false, "not asked (--offline): the signed digest and the store's copy of the manifest were checked"))];
            if (!parse.GetValue(offline) && v.Images.Count > 0)
            {
                using var http = Storage.RegistryAuthHandler.CreateClient();
                var checkedImages = await RegistryImages.CheckAsync(v.Images, http, cancellation);
                if (!checkedImages.IsOk)
                    return cli.Fail(checkedImages.Problem, asJson);
                images = checkedImages.Value;
            }
            if (asJson)
            {
                cli.WriteJson(new
                {
                    verified = true, app = v.Predicate.App, version = v.Predicate.Version, logIndex = v.Record.LogIndex, loggedAt = v.Record.Logged?.Time, signedBy = v.SignedBy, treeSize = v.Checkpoint.Size,
                    artifacts = v.Artifacts.Select(a => new { name = a.Name, digest = "sha256:" + a.Digest["sha256"] }),
                    images = images.Select(i => new { name = i.Image.Name, reference = i.Image.Reference, mediaType = i.Image.MediaType, registryChecked = i.Checked, detail = i.Detail }),
                });
                return ExitCodes.Ok;
            }
            cli.Out.WriteLine($"verified {v.Predicate.App} {v.Predicate.Version}: signed by {v.SignedBy}, logged at index {v.Record.LogIndex} at {v.Record.Logged?.Time:O} (tree size {v.Checkpoint.Size}), {v.Artifacts.Count} artifact(s) intact");
            foreach (var image in images)
                cli.Out.WriteLine($"image {image.Image.Name} {image.Image.Reference}: {(image.Checked ? image.Detail : "only the signed statement was checked, offline: " + image.Detail)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Result<TrustFile> ReadTrust(ReleaseStore store, string? file) => file is null ? store.ReadTrust() : ReadTrustFile(file);

    /// <summary>A verifier's own trust file, as <c>--trust FILE</c> names it.</summary>
    internal static Result<TrustFile> ReadTrustFile(string file)
    {
        var bytes = InputFile.Read(file, TrustFile.MaxSize, "trust file");
        if (!bytes.IsOk)
            return bytes.Problem;
        var parsed = TrustFile.Parse(bytes.Value);
        return parsed.IsOk ? parsed : parsed.Problem with { Message = $"{file}: {parsed.Problem.Message}" };
    }
}
