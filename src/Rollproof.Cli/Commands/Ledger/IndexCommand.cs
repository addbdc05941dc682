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
            // Through --server this is the index of this machine's verified copy, never the server's (its operator's):
            // say so, so nobody takes it for the other.
            var server = opened.Value.Log.Config.Server;
            if (asJson)
                cli.WriteJson(new { index = QueryIndex.PathOf(opened.Value), entries = rebuilt.Value, server });
            else if (server is not null)
                cli.Out.WriteLine($"rebuilt this machine's copy of the index of {server} ({QueryIndex.PathOf(opened.Value)}) from {rebuilt.Value} verified log entries; the server's own index is its operator's to rebuild, with --store on its machine");
            else
                cli.Out.WriteLine($"rebuilt {QueryIndex.PathOf(opened.Value)} from {rebuilt.Value} log entries");
            return ExitCodes.Ok;
        });
        return command;
    }
}
