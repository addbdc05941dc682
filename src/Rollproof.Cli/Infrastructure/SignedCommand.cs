using System.CommandLine;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// The action of a command that appends a signed statement: it takes the signing options, opens the store and
/// resolves the signer (a failure of either is reported like any other), and then runs the command's own work.
/// </summary>
internal static class SignedCommand
{
    public delegate Task<int> Body(ParseResult parse, ReleaseStore store, IStatementSigner signer, bool asJson, CancellationToken cancellation);

    public static void SetAction(Command command, CliContext cli, Option<string> store, SignerOptions signer, Option<bool> json, Body body)
    {
        signer.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            var opened = ReleaseStore.Open(parse.GetValue(store)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var key = signer.Resolve(parse, cli);
            if (!key.IsOk)
                return cli.Fail(key.Problem, asJson);
            return await body(parse, opened.Value, key.Value, asJson, cancellation);
        });
    }
}
