using System.CommandLine;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Cli.Infrastructure;

/// <summary>The store and the signer: what every command that appends a signed statement opens first.</summary>
internal static class StoreSigner
{
    public static Result<(ReleaseStore Store, IStatementSigner Signer)> Open(ParseResult parse, Option<string> store, SignerOptions signer, CliContext cli)
    {
        var opened = ReleaseStore.Open(parse.GetValue(store)!);
        if (!opened.IsOk)
            return opened.Problem;
        var key = signer.Resolve(parse, cli);
        return key.IsOk ? Result<(ReleaseStore, IStatementSigner)>.Ok((opened.Value, key.Value)) : key.Problem;
    }
}
