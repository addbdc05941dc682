using Rollproof.Cli.Infrastructure;
using Rollproof.Ledger;
using Rollproof.Queries;
using Rollproof.Releases;

namespace Rollproof.Cli.Commands.Ledger;

/// <summary>Keeping the store's index in step after a command appended to the log.</summary>
internal static class IndexAccess
{
    /// <summary>
    /// Brings the index up to date. The statement is already logged, which is what counts, so a failure here is a
    /// warning, not a failed command (a retry would only be refused as a duplicate): the index is derived, and
    /// 'index rebuild' recreates it.
    /// </summary>
    public static void CatchUpAfterAppend(ReleaseStore store, CliContext cli)
    {
        var index = QueryIndex.Open(store);
        if (index.IsOk)
            index.Value.Dispose();
        else
            cli.Error.WriteLine($"warning {index.Problem.Code}: the statement is logged, but the index could not take it in ({index.Problem.Message}); run 'rollproof index rebuild --store {store.Root}'");
    }
}
