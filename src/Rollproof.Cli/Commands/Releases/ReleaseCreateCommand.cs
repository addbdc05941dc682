using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleaseCreateCommand
{
    public static Command Create(CliContext cli)
    {
        var store = CommonOptions.Store(cli, "The store that keeps the release's files");
        var output = new Option<string>("--output", "-o") { Description = "Where to write the unsigned statement (canonical JSON)", Required = true };
        var draft = new ReleaseDraftOptions();
        var json = CommonOptions.Json();
        var command = new Command("create", "Store a release's files by digest and write its unsigned in-toto statement, for 'release sign' (e.g. on a machine holding the key) and then 'release publish --envelope'.")
        {
            store, output, json,
        };
        foreach (var option in draft.All)
            command.Options.Add(option);
        command.Validators.Add(draft.Validate);
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var release = draft.Read(parse);
            if (!release.IsOk)
                return cli.Fail(release.Problem, asJson);
            var statement = await opened.Value.CreateStatementAsync(release.Value, cancellation);
            if (!statement.IsOk)
                return cli.Fail(statement.Problem, asJson);
            var path = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(path, statement.Value.ToCanonicalJson(), cancellation);
            if (asJson)
                cli.WriteJson(new { statement = path, subjects = statement.Value.Subjects.Count });
            else
                cli.Out.WriteLine($"wrote the statement for {release.Value.App} {release.Value.Version} to {path}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
