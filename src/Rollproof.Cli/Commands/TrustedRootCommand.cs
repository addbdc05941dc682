using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Sigstore;

namespace Rollproof.Cli.Commands;

internal static class TrustedRootCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli, "The store whose log the trusted root names");
        var output = new Option<string>("-o", "--output") { Description = "Where to write trusted_root.json (a new file)", Required = true };
        var validFrom = new Option<DateTimeOffset?>("--valid-from") { Description = "When the log's key became valid (default: when the log was created; through --server, the signed time of its first entry)" };
        var json = CommonOptions.Json();
        var command = new Command("trusted-root", "Write a Sigstore trusted_root.json for the store's log, so Sigstore clients (sigstore-js, cosign, sigstore-python) verify bundles from 'release publish --bundle' offline.")
        {
            store, output, validFrom, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var log = opened.Value.Log;
            if ((parse.GetValue(validFrom) ?? log.Config.CreatedAt ?? FirstEntryTime(log)) is not { } from)
                return cli.Fail(ErrorCodes.InputMissing, $"{log.Config.Server ?? log.Path} does not record when its log was created, and its first entry has no signed time: give --valid-from", asJson);
            var path = parse.GetValue(output)!;
            try
            {
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                file.Write(TrustedRoot.Create(log.Verifier, from));
            }
            catch (IOException) when (File.Exists(path))
            {
                return cli.Fail(ErrorCodes.InputMalformed, $"'{path}' already exists: refusing to overwrite it", asJson);
            }
            if (asJson)
                cli.WriteJson(new { trustedRoot = Path.GetFullPath(path), origin = log.Config.Origin, validFrom = from });
            else
                cli.Out.WriteLine($"wrote {path}: log {log.Config.Origin}, key valid from {from:O}");
            return ExitCodes.Ok;
        });
        return command;
    }

    // A served log's replica (and a log older than the record of its creation) knows only its entries' signed times:
    // the first one's, verified with the log key, is when the log began to sign.
    private static DateTimeOffset? FirstEntryTime(Storage.LogDirectory log) =>
        log.Timestamps.Read(0) is { IsOk: true, Value: { } first } ? first.Time : null;
}
