using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency;

/// <summary>
/// A verifier's or witness's memory of the last checkpoint it accepted from a log, kept in a file: every later
/// checkpoint must extend it, or the log has shown someone a different history.
/// </summary>
public static class SeenCheckpoint
{
    /// <summary>Checks that <paramref name="current"/> extends the checkpoint remembered in <paramref name="stateFile"/>, if there is one.</summary>
    public static Problem? CheckExtends(string stateFile, INoteVerifier logKey, Checkpoint current, ProofBuilder proofs)
    {
        if (!File.Exists(stateFile))
            return null;
        if (new FileInfo(stateFile).Length > SignedNote.MaxSize)
            return new Problem(ErrorCodes.InputTooLarge, $"checkpoint memory '{stateFile}' is larger than a signed note can be");
        var seen = Checkpoint.Open(File.ReadAllBytes(stateFile), logKey);
        if (!seen.IsOk)
            return seen.Problem with { Message = $"checkpoint memory '{stateFile}': {seen.Problem.Message}" };
        var old = seen.Value.Checkpoint;
        // Both checkpoints are named, so whoever investigates can show the two histories the log signed.
        if (old.Size > current.Size)
            return new Problem(ErrorCodes.CheckpointInconsistent, $"the log rolled back from {Describe(old)}, seen earlier, to {Describe(current)}");
        if (old.Size == 0)
            return null;
        var consistency = proofs.Consistency(old.Size, current.Size);
        var problem = consistency.IsOk
            ? MerkleProofs.VerifyConsistency(old.Size, current.Size, old.RootHash, current.RootHash, consistency.Value)
            : consistency.Problem;
        return problem is null
            ? null
            : new Problem(ErrorCodes.CheckpointInconsistent, $"the checkpoint at {Describe(current)} is not consistent with the one seen earlier at {Describe(old)}: {problem.Message}");
    }

    private static string Describe(Checkpoint checkpoint) => $"size {checkpoint.Size} (root {Convert.ToBase64String(checkpoint.RootHash)})";

    /// <summary>Durably remembers <paramref name="signedCheckpoint"/>, writing only when it differs from what is remembered.</summary>
    public static void Remember(string stateFile, byte[] signedCheckpoint)
    {
        if (!File.Exists(stateFile) || !File.ReadAllBytes(stateFile).AsSpan().SequenceEqual(signedCheckpoint))
            DurableFile.Replace(stateFile, signedCheckpoint);
    }
}
