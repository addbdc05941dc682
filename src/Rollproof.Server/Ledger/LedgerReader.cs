using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Server.Ledger;

/// <summary>The ledger at one checkpoint: the view the answer is read from and the signed checkpoint it is proven against.</summary>
public sealed record LedgerSnapshot(LedgerView View, VerifiedCheckpoint Checkpoint);

/// <summary>
/// Reads the served store's ledger for the API: from its log, through the one trust path (<see cref="LedgerView"/>),
/// never from the SQLite query index, so an edited or deleted index row cannot change an answer. A store instance of
/// its own, apart from the writer's.
/// </summary>
public sealed class LedgerReader
{
    // The writer may publish between reading the checkpoint and mapping the log: a few tries find the two agreeing.
    private const int Attempts = 5;

    public LedgerReader(ReleaseStore store)
    {
        Store = store;
        var directory = Path.Combine(VerifierHome.Root, "serve");
        Directory.CreateDirectory(directory);
        // One memory per log (origin and key): another store served from this machine must not be held to this one's checkpoints.
        var log = System.Text.Encoding.UTF8.GetBytes(store.Log.Config.Origin + "\n" + store.Log.Config.VerifierKey);
        CheckpointMemory = Path.Combine(directory, Sha256Digest.Of(log).Hex + ".checkpoint");
    }

    public ReleaseStore Store { get; }

    /// <summary>Where the server remembers the last checkpoint it verified of its own log (release verification refuses an older one), apart from any CLI's memory.</summary>
    public string CheckpointMemory { get; }

    public Result<LedgerSnapshot> Current()
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var checkpoint = Store.Log.ReadCheckpoint();
            if (!checkpoint.IsOk)
                return checkpoint.Problem;
            var view = LedgerView.Open(Store);
            if (!view.IsOk)
                return view.Problem;
            if (view.Value.Size == checkpoint.Value.Checkpoint.Size)
                return Result<LedgerSnapshot>.Ok(new LedgerSnapshot(view.Value, checkpoint.Value));
        }
        return Result<LedgerSnapshot>.Fail(ErrorCodes.CheckpointInconsistent, $"the log grew while it was read, {Attempts} times: try again");
    }
}
