using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// What one record of a writer's checkpoints says (<see cref="ICheckpointRecord"/>): the latest checkpoint it
/// published, or accepted by a logged repair, and the one it signed after that but may not have published (a crash
/// between the two). A log whose checkpoint is older than <see cref="Latest"/>, or whose tiles do not give its root,
/// was rewound: restored, whole or in part, from an older copy.
/// </summary>
public sealed record RecordedCheckpoints(string Source, Checkpoint? Latest, Checkpoint? Unconfirmed)
{
    /// <summary>
    /// A problem naming both checkpoints when <paramref name="current"/>, the log's verified checkpoint, does not
    /// extend <see cref="Latest"/> by the tiles in <paramref name="storage"/>.
    /// </summary>
    public Problem? Check(Checkpoint current, ILogStorage storage, string log)
    {
        if (Latest is not { } latest)
            return null;
        var both = $"{log} has its checkpoint at {Describe(current)}; the writer published {Describe(latest)} ({Source})";
        if (current.Size < latest.Size)
            return Rewound($"{both}: its checkpoint is older than one already published, so it was restored from an older copy");
        if (current.Size == latest.Size && !current.RootHash.AsSpan().SequenceEqual(latest.RootHash))
            return Rewound($"{both}: two different trees of the same size, so its checkpoint was replaced");
        var problem = TilesGive(latest, current, storage);
        return problem is null ? null : Rewound($"{both}: its tiles do not give the published root ({problem.Message}), so they were restored or altered");
    }

    /// <summary>Whether <paramref name="checkpoint"/> is the same tree (size and root) as <paramref name="other"/>.</summary>
    public static bool SameTree(Checkpoint checkpoint, Checkpoint? other) =>
        other is not null && checkpoint.Size == other.Size && checkpoint.RootHash.AsSpan().SequenceEqual(other.RootHash);

    public static string Describe(Checkpoint checkpoint) => $"size {checkpoint.Size} (root {Convert.ToBase64String(checkpoint.RootHash)})";

    // The tiles under the current checkpoint must hold the published tree: its root at its size, or a consistency
    // proof from it to the current tree.
    private static Problem? TilesGive(Checkpoint published, Checkpoint current, ILogStorage storage)
    {
        if (published.Size == 0)
            return null;
        var proofs = new ProofBuilder(new TileNodeSource(storage, current.Size));
        try
        {
            if (published.Size == current.Size)
            {
                var root = proofs.Root(current.Size);
                return root.AsSpan().SequenceEqual(published.RootHash)
                    ? null
                    : new Problem(ErrorCodes.RootMismatch, $"they hash to {Convert.ToBase64String(root)}");
            }
            var proof = proofs.Consistency(published.Size, current.Size);
            return proof.IsOk
                ? MerkleProofs.VerifyConsistency(published.Size, current.Size, published.RootHash, current.RootHash, proof.Value)
                : proof.Problem;
        }
        catch (ProblemException e)
        {
            return e.Problem;
        }
    }

    private static Problem Rewound(string message) =>
        new(ErrorCodes.LogRewound, $"{message}. Nothing was appended; if the log was restored from a backup on purpose, 'rollproof log repair --accept-rewind --reason …' accepts it and logs the repair");
}
