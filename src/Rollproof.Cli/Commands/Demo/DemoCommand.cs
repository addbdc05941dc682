using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;

namespace Rollproof.Cli.Commands.Demo;

/// <summary>
/// <c>rollproof demo</c>: the whole story of a governed, replayable rollback on this machine (see
/// <see cref="RollbackStory"/>); <c>rollproof demo log</c>: a walk through the transparency log alone.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext cli)
    {
        var workdir = new Option<string?>("--workdir") { Description = "Where to build the store, environment and evidence (default: a new folder under ./.demo); must be new or empty" };
        var dwell = DurationOptions.Create("--dwell", "How long the canary holds each traffic step (0s to go straight through)", Durations.StepDwell, fallback: "1s");
        var samples = new Option<string?>("--sample") { Description = $"The sample app's project (default: {SampleBuild.Project} found above this program or the current folder)" };
        var json = CommonOptions.Json();
        var command = new Command("demo", """
            Roll back a bad release on this machine and prove it: build and sign two releases of a document-signing
            service, run 1.0 then 1.1 behind haproxy, catch 1.1's signatures failing, file a rollback request (its risk
            analysis flags the signature-algorithm change), approve it twice, run the emergency runbook (pause, snapshot,
            drain, deploy 1.0 by digest, migrate down, verify, canary 1/10/50/100, replay, resume, report), then export
            the evidence package and verify it offline. Needs haproxy (scripts/demo.sh installs it).
            """)
        {
            workdir, dwell, samples, json, LogWalkthroughCommand.Create(cli),
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var root = Path.GetFullPath(parse.GetValue(workdir) ?? Path.Combine(".demo", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)));
            if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
                return cli.Fail(ErrorCodes.InputMalformed, $"'{root}' is not empty: give a new --workdir", asJson);
            if ((parse.GetValue(samples) ?? SampleBuild.FindProject()) is not { } project || !File.Exists(project))
                return cli.Fail(ErrorCodes.InputMissing, $"the sample app ({SampleBuild.Project}) was not found: run the demo from the Rollproof checkout, or give --sample", asJson);
            Directory.CreateDirectory(root);
            await using var story = new RollbackStory(cli, root, Path.GetFullPath(project), parse.GetValue(dwell)!, asJson);
            var told = await story.RunAsync(cancellation);
            if (!told.IsOk)
                return cli.Fail(told.Problem, asJson);
            if (asJson)
                cli.WriteJson(told.Value);
            return ExitCodes.Ok;
        });
        return command;
    }
}
