using System.CommandLine;
using Rollproof.Cli.Commands.Rollbacks;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Retention;

namespace Rollproof.Cli.Commands;

internal static class GcCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli, served: false);
        var keep = new Option<int>("--keep") { Description = "How many of each app's newest releases, in log order, keep their artifacts (at least 1)", Required = true };
        keep.Validators.Add(r =>
        {
            if (r.Tokens is [var t] && int.TryParse(t.Value, out var n) && n < 1)
                r.AddError("--keep must be at least 1");
        });
        var retain = DurationOptions.Create("--retain", "How long a release that left an environment keeps its artifacts", Durations.PolicyWindow, fallback: "90d");
        var archive = new Option<string?>("--archive") { Description = "Move collected blobs under this directory instead of deleting them" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only report what would be kept, why, and what would be freed" };
        var state = RollbackCommand.State();
        var json = CommonOptions.Json();
        var command = new Command("gc", """
            Free the artifacts of releases nothing needs any more. Kept: each app's newest N releases in log order, what
            any environment runs or ran within --retain, and both ends of every rollback request pending or approved and
            not yet completed. Envelopes, SBOMs, scripts and receipts are evidence and are never collected. If the ledger
            cannot be read, nothing is freed.
            """)
        {
            store, keep, retain, archive, dryRun, state, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var rules = new RetentionRules(parse.GetValue(keep), Durations.Parse(parse.GetValue(retain)!, Durations.PolicyWindow).Value);
            var stateFile = parse.GetValue(state) ?? VerifierState.DefaultPath(opened.Value.Log.Config.Origin, opened.Value.Log.Verifier);
            var report = await GarbageCollector.CollectAsync(opened.Value, rules, stateFile, parse.GetValue(archive), parse.GetValue(dryRun), TimeProvider.System, cancellation);
            if (!report.IsOk)
                return cli.Fail(report.Problem, asJson);
            Write(cli, report.Value, parse.GetValue(dryRun), parse.GetValue(archive) is not null, asJson);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliContext cli, GarbageReport report, bool dryRun, bool archived, bool asJson)
    {
        if (asJson)
        {
            cli.WriteJson(new
            {
                dryRun, kept = report.Kept, collected = report.Collected, removed = report.Removed, bytes = report.Bytes, setAside = report.SetAside,
            });
            return;
        }
        foreach (var kept in report.Kept)
            cli.Out.WriteLine($"keeps {kept.App} {kept.Version}: {string.Join("; ", kept.Reasons)}");
        foreach (var release in report.Collected)
            cli.Out.WriteLine($"collects {release}: nothing keeps its artifacts");
        foreach (var note in report.SetAside)
            cli.Out.WriteLine($"set aside {note}");
        var verb = dryRun ? "would free" : archived ? "archived" : "freed";
        cli.Out.WriteLine($"{verb} {report.Removed.Count} artifact blob(s), {report.Bytes:N0} bytes{(report.Removed.Count > 0 ? ": " + string.Join(", ", report.Removed) : "")}");
    }
}
