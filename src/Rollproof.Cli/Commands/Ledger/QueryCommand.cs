using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Ledger;
using Rollproof.Queries;
using Rollproof.Releases;
using Rollproof.Storage;

namespace Rollproof.Cli.Commands.Ledger;

/// <summary>Questions auditors ask, answered from the index after it has caught up with the log.</summary>
internal static class QueryCommand
{
    public static Command Create(CliContext cli) => new("query", "Ask the ledger: what runs where, an app's history, which releases hold a digest, what an actor did")
    {
        Query(cli, "environments", "What runs in each environment, since when and recorded by whom", null,
            (index, _) => index.Environments(),
            d => $"{d.Environment,-12} {d.App,-20} {d.Version,-12} since {d.Since:O} (log index {d.LogIndex}, by {d.By ?? "an untrusted key"})"),
        Query(cli, "history", "Everything the ledger records about an app, in log order", new Argument<string>("APP") { Description = "The application" },
            (index, app) => index.History(app!),
            Line),
        Query(cli, "digest", "Which releases contain a file (artifact, SBOM, migration script, rollback script) with this digest", new Argument<string>("DIGEST") { Description = "sha256:… of the file" },
            (index, digest) => index.ReleasesContaining(Sha256Digest.Parse(digest!) is { IsOk: true } d ? d.Value.ToString() : digest!),
            h => $"{h.App} {h.Version} (log index {h.LogIndex}): {h.File}"),
        Query(cli, "actor", "Everything signed by one actor (their name in the trust file), in log order", new Argument<string>("NAME") { Description = "The key's name in the trust file" },
            (index, actor) => index.ActionsBy(actor!),
            Line),
    };

    private static string Line(LedgerEvent e) => $"{e.LogIndex,6}  {e.LoggedAt:O}  {e.Signer ?? "(untrusted key)",-16} {e.Summary}";

    private static Command Query<T>(CliContext cli, string name, string description, Argument<string>? argument, Func<ILedgerIndex, string?, IReadOnlyList<T>> ask, Func<T, string> format)
    {
        var store = CommonOptions.Store(cli);
        var json = CommonOptions.Json();
        var command = new Command(name, description) { store, json };
        if (argument is not null)
            command.Arguments.Add(argument);
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var index = QueryIndex.Open(opened.Value);
            if (!index.IsOk)
                return cli.Fail(index.Problem, asJson);
            using (index.Value)
            {
                var rows = ask(index.Value, argument is null ? null : parse.GetValue(argument));
                if (asJson)
                    cli.WriteJson(rows);
                else if (rows.Count == 0)
                    cli.Out.WriteLine("(nothing recorded)");
                else
                    foreach (var row in rows)
                        cli.Out.WriteLine(format(row));
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
