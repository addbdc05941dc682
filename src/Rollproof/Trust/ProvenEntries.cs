using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Trust;

/// <summary>
/// Reads entries of the tree a <see cref="KindMap"/> describes, each proven by an inclusion proof to be the entry its
/// checkpoint commits to: bytes swapped into an entry bundle after the map was made are refused, never judged.
/// Entries are read a bundle (256 entries) at a time, as a scan asks for them in order.
/// </summary>
public sealed class ProvenEntries(LogDirectory log, KindMap map)
{
    private readonly ProofBuilder _proofs = new(new TileNodeSource(log.Storage, map.Size));
    private readonly byte[] _root = map.Range.Root();
    private long _tile = -1;
    private List<ReadOnlyMemory<byte>> _entries = [];

    public Result<ReadOnlyMemory<byte>> Read(long index)
    {
        if (index < 0 || index >= map.Size)
            return Result<ReadOnlyMemory<byte>>.Fail(ErrorCodes.IndexOutOfRange, $"index {index} is outside a tree of size {map.Size}");
        var tile = index / TilePath.TileWidth;
        if (tile != _tile)
        {
            var read = TileReader.Bundle(log.Storage, tile, TilePath.WidthAt(0, tile, map.Size));
            if (!read.IsOk)
                return read.Problem;
            (_tile, _entries) = (tile, read.Value);
        }
        var entry = _entries[(int)(index % TilePath.TileWidth)];
        var proof = _proofs.Inclusion(index, map.Size);
        if (!proof.IsOk)
            return proof.Problem with { Message = $"log entry {index}: {proof.Problem.Message}" };
        return MerkleProofs.VerifyInclusion(index, map.Size, MerkleHasher.LeafHash(entry.Span), proof.Value, _root) is { } altered
            ? altered with { Message = $"log entry {index} is not the entry the log's checkpoint commits to: {altered.Message}" }
            : Result<ReadOnlyMemory<byte>>.Ok(entry);
    }
}
