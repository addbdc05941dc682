using Rollproof.Signing;
using Rollproof.Transparency;
using Rollproof.Transparency.Witnessing;

namespace Rollproof.Tests.Transparency.Witnessing;

/// <summary>A log in memory with its signer, to build the checkpoints and add-checkpoint requests a witness sees.</summary>
internal sealed class WitnessedLog
{
    private readonly MemoryNodeSource _tree = new();

    public WitnessedLog(string origin = "log.example/witnessed")
        : this(NoteKeys.GenerateEd25519(origin), Size)
    {
    }

    private WitnessedLog(Ed25519NoteSigner signer, int common)
    {
        Signer = signer;
        for (var i = 0; i < Size; i++)
            _tree.AppendEntry(System.Text.Encoding.UTF8.GetBytes(i < common ? $"entry {i}" : $"forked entry {i}"));
    }

    public const int Size = 64;

    /// <summary>
    /// Another history under the same key, sharing the first <paramref name="common"/> entries: what a log showing a
    /// split view signs.
    /// </summary>
    public WitnessedLog Fork(int common) => new(Signer, common);

    public Ed25519NoteSigner Signer { get; }

    public INoteVerifier Key => NoteKeys.ParseVerifierKey(Signer.VerifierKey).Value;

    public ProofBuilder Proofs => new(_tree);

    public Checkpoint Tree(long size) => new(Signer.Name, size, Proofs.Root(size));

    public SignedNote Checkpoint(long size) => SignedNote.Sign(Tree(size).ToText(), Signer);

    public byte[] Request(long oldSize, long size) => Request(oldSize, size, Checkpoint(size));

    public byte[] Request(long oldSize, long size, SignedNote checkpoint)
    {
        var proof = oldSize == 0 ? [] : Proofs.Consistency(oldSize, size).Value;
        return new AddCheckpointRequest(oldSize, proof, checkpoint.ToBytes()).ToBytes();
    }

    public ConsistencyProofs ConsistencyProofs => (oldSize, newSize) => Proofs.Consistency(oldSize, newSize);
}
