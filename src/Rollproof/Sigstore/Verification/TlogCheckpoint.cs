using System.Security.Cryptography;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Sigstore.Verification;

/// <summary>
/// Opens an inclusion proof's checkpoint with the log's key: a C2SP signed note whose text is a checkpoint (origin
/// first). Only signature lines under the log's key name and key ID count; witness cosignatures and other lines are
/// ignored, never trusted. The verified checkpoint must be the tree the proof names.
/// </summary>
internal static class TlogCheckpoint
{
    /// <summary>Rekor v1 names its checkpoints "host - tree ID" and signs them as "host".</summary>
    private const string RekorV1TreeSeparator = " - ";

    /// <param name="checkpointKeyId">For Rekor v2, the entry's log ID: the checkpoint key ID (C2SP) of the log's
    /// origin and key, which the origin read from the checkpoint must give.</param>
    public static Problem? Verify(TlogInclusionProof proof, TlogLogKey key, byte[]? checkpointKeyId)
    {
        var note = SignedNote.Parse(proof.Checkpoint);
        var checkpoint = note.IsOk ? Checkpoint.Parse(note.Value.Text) : note.Problem;
        if (!checkpoint.IsOk)
            return new Problem(ErrorCodes.TlogCheckpointInvalid, $"tlog entry inclusionProof.checkpoint: {checkpoint.Problem.Message}");
        var origin = checkpoint.Value.Origin;
        var names = new List<string> { origin };
        var host = origin.IndexOf(RekorV1TreeSeparator, StringComparison.Ordinal);
        if (checkpointKeyId is null && host > 0)
            names.Add(origin[..host]);
        var verifiers = names.Where(NoteKeyId.IsValidName).Select(key.For).ToList();
        if (verifiers.Count == 0)
            return Unsigned($"its origin '{origin}' is not a key name a log signs with");
        if (checkpointKeyId is not null && !CryptographicOperations.FixedTimeEquals(NoteKeyId.CheckpointKeyId(verifiers[0]), checkpointKeyId))
            return Unsigned($"its origin '{origin}' with the log's key is not the checkpoint key ID {Convert.ToBase64String(checkpointKeyId)} the entry names");
        var opened = note.Value.Open(verifiers);
        if (!opened.IsOk)
            return Unsigned(opened.Problem.Message);
        if (checkpoint.Value.Size != proof.TreeSize || !CryptographicOperations.FixedTimeEquals(checkpoint.Value.RootHash, proof.RootHash))
            return new Problem(ErrorCodes.TlogCheckpointMismatch, $"tlog entry inclusionProof: the signed checkpoint is of tree size {checkpoint.Value.Size} with root {Convert.ToBase64String(checkpoint.Value.RootHash)}, but the proof is for size {proof.TreeSize} with root {Convert.ToBase64String(proof.RootHash)}");
        return null;
    }

    private static Problem Unsigned(string why) => new(ErrorCodes.TlogCheckpointUnsigned, $"tlog entry inclusionProof.checkpoint is not signed by the log: {why}");
}
