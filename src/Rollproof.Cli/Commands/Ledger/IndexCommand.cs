using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Ledger;
using Rollproof.Queries;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Ledger;

internal static class IndexCommand
{
    public static Command Create(CliContext cli) => new("index", "The store's query index (.rollproof/index.db), derived from the log") { Rebuild(cli) };

    private static Command Rebuild(CliContext cli)
    {
        var store = CommonOptions.Store(cli);
        var json = CommonOptions.Json();
        var command = new Command("rebuild", "Recreate the index from the log alone (entries, their signed timestamps and the trust file); the old index is replaced only once the new one is complete.")
        {
            store, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var rebuilt = QueryIndex.Rebuild(opened.Value);
            if (!rebuilt.IsOk)
                return cli.Fail(rebuilt.Problem, asJson);
            if (asJson)
                cli.WriteJson(new { index = QueryIndex.PathOf(opened.Value), entries = rebuilt.Value });
            else
                cli.Out.WriteLine($"rebuilt {QueryIndex.PathOf(opened.Value)} from {rebuilt.Value} log entries");
            return ExitCodes.Ok;
        });
        return command;
    }
}
