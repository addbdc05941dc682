using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands;

internal static class GcCommand
{
    public static Command Create(CliContext cli)
    {
        var store = new Option<string>("--store") { Description = "The store", Required = true };
        var keep = new Option<int>("--keep") { Description = "How many of each app's newest releases keep their artifacts (at least 1)", Required = true };
        keep.Validators.Add(r =>
        {
            if (r.Tokens is [var t] && int.TryParse(t.Value, out var n) && n < 1)
                r.AddError("--keep must be at least 1");
        });
        var archive = new Option<string?>("--archive") { Description = "Move collected blobs under this directory instead of deleting them" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report what would be collected" };
        var json = CommonOptions.Json();
        var command = new Command("gc", "Free the artifacts of releases older than each app's newest N. Envelopes, SBOMs, scripts and receipts are evidence and are never collected.")
        {
            store, keep, archive, dryRun, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var report = await GarbageCollector.CollectAsync(opened.Value, parse.GetValue(keep), parse.GetValue(archive), parse.GetValue(dryRun), cancellation);
            if (!report.IsOk)
                return cli.Fail(report.Problem, asJson);
            var verb = parse.GetValue(dryRun) ? "would free" : parse.GetValue(archive) is null ? "freed" : "archived";
            if (asJson)
                cli.WriteJson(new { dryRun = parse.GetValue(dryRun), removed = report.Value.Removed, bytes = report.Value.Bytes, keptReleases = report.Value.KeptReleases });
            else
                cli.Out.WriteLine($"{verb} {report.Value.Removed.Count} artifact blob(s), {report.Value.Bytes:N0} bytes; kept: {string.Join(", ", report.Value.KeptReleases)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
