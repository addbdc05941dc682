using Rollproof.Common;
using Rollproof.Releases;

namespace Rollproof.Queries;

/// <summary>
/// The store's query index, <c>.rollproof/index.db</c>: brought up to the log's checkpoint before each use, or made
/// again from the log alone. Only the <c>query</c> commands read it; nothing that decides does.
/// </summary>
public static class QueryIndex
{
    public static string PathOf(ReleaseStore store) => Path.Combine(store.Root, ".rollproof", "index.db");

    /// <summary>The store's index, brought up to the log's current checkpoint first.</summary>
    public static Result<ILedgerIndex> Open(ReleaseStore store)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var index = new SqliteLedgerIndex(PathOf(store));
        var caughtUp = LedgerIndexer.CatchUp(store.Log, trust.Value, index);
        if (caughtUp.IsOk)
            return Result<ILedgerIndex>.Ok(index);
        index.Dispose();
        return caughtUp.Problem;
    }

    /// <summary>Recreates the index from the log alone, in a new file that replaces the old one only once complete.</summary>
    public static Result<long> Rebuild(ReleaseStore store)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var path = PathOf(store);
        var fresh = path + ".rebuild";
        DeleteDatabase(fresh);
        Result<long> built;
        using (var index = new SqliteLedgerIndex(fresh))
            built = LedgerIndexer.CatchUp(store.Log, trust.Value, index);
        if (!built.IsOk)
        {
            DeleteDatabase(fresh);
            return built.Problem;
        }
        DeleteDatabase(path);
        File.Move(fresh, path);
        return built;
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            File.Delete(file);
    }
}
