using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleaseVerifyCommand
{
    public static Command Create(CliContext cli)
    {
        var store = new Option<string>("--store") { Description = "The store", Required = true };
        var app = new Option<string>("--app") { Description = "The application", Required = true };
        var version = new Option<string>("--version") { Description = "The version", Required = true };
        var trust = new Option<string?>("--trust") { Description = "The trust file: which keys may sign releases, and when (default: the store's trust.json; bring your own to not trust the store's word)" };
        var state = new Option<string?>("--state") { Description = "This verifier's memory of the last checkpoint it saw (default: ~/.config/rollproof/seen/, per log), kept outside the store it checks" };
        var logKey = new Option<string?>("--log-vkey") { Description = "Pin the log's verifier key instead of trusting the one the store records" };
        var json = CommonOptions.Json();
        var command = new Command("verify", "Verify a release: its signature by a key trusted for releases, its inclusion in the log under a checkpoint consistent with the last one seen, and every artifact's digest. Exit 0 only if all hold.")
        {
            store, app, version, trust, state, logKey, json,
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
            var logConfig = opened.Value.Log.Config;
            if (parse.GetValue(logKey) is { } pinned && pinned != logConfig.VerifierKey)
                return cli.Fail(Common.ErrorCodes.CheckpointOriginMismatch, $"the store's log key {logConfig.VerifierKey} is not the pinned {pinned}", asJson);
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(logConfig.VerifierKey);
            var verified = await ReleaseVerifier.VerifyAsync(opened.Value, parse.GetValue(app)!, parse.GetValue(version)!, trustFile.Value, stateFile, cancellation);
            if (!verified.IsOk)
                return cli.Fail(verified.Problem, asJson);
            var v = verified.Value;
            if (asJson)
                cli.WriteJson(new { verified = true, app = v.Predicate.App, version = v.Predicate.Version, logIndex = v.Record.LogIndex, loggedAt = v.Record.Logged?.Time, signedBy = v.SignedBy, treeSize = v.Checkpoint.Size, artifacts = v.Artifacts.Select(a => new { name = a.Name, digest = "sha256:" + a.Digest["sha256"] }) });
            else
                cli.Out.WriteLine($"verified {v.Predicate.App} {v.Predicate.Version}: signed by {v.SignedBy}, logged at index {v.Record.LogIndex} at {v.Record.Logged?.Time:O} (tree size {v.Checkpoint.Size}), {v.Artifacts.Count} artifact(s) intact");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Result<TrustFile> ReadTrust(ReleaseStore store, string? file)
    {
        if (file is null)
            return store.ReadTrust();
        var bytes = LogAccess.ReadInput(file, TrustFile.MaxSize, "trust file");
        if (!bytes.IsOk)
            return bytes.Problem;
        var parsed = TrustFile.Parse(bytes.Value);
        return parsed.IsOk ? parsed : parsed.Problem with { Message = $"{file}: {parsed.Problem.Message}" };
    }
}
