using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleaseListCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var json = CommonOptions.Json();
        var command = new Command("list", "List published releases: app, version, log index, publication time.") { store, json };
        command.SetAction(parse =>
        {
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, parse.GetValue(json));
            var listed = opened.Value.List();
            if (!listed.IsOk)
                return cli.Fail(listed.Problem, parse.GetValue(json));
            var records = listed.Value;
            if (parse.GetValue(json))
                cli.WriteJson(records);
            else
                foreach (var r in records)
                    cli.Out.WriteLine($"{r.App,-20} {r.Version,-12} {(r.LogIndex is { } i ? $"index {i}" : "NOT LOGGED (publish cut short)"),-16} {r.PublishedAt:u}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
