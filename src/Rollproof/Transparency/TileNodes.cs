namespace Rollproof.Transparency;

/// <summary>
/// The subtree inside one tile: its hashes and every complete node above them, up to the tile's height of 8.
/// Computed once per tile so that proofs cost lookups, not rehashing.
/// </summary>
internal sealed class TileNodes
{
    private readonly byte[][] _rows;

    public TileNodes(ReadOnlySpan<byte> tileHashes)
    {
        Width = tileHashes.Length / MerkleHasher.HashSize;
        _rows = new byte[TilePath.TileHeight + 1][];
        _rows[0] = tileHashes.ToArray();
        for (var height = 1; height <= TilePath.TileHeight; height++)
        {
            var below = _rows[height - 1];
            var count = (below.Length / MerkleHasher.HashSize) / 2;
            var row = new byte[count * MerkleHasher.HashSize];
            for (var i = 0; i < count; i++)
            {
                MerkleHasher.NodeHash(
                    below.AsSpan(2 * i * MerkleHasher.HashSize, MerkleHasher.HashSize),
                    below.AsSpan(((2 * i) + 1) * MerkleHasher.HashSize, MerkleHasher.HashSize),
                    row.AsSpan(i * MerkleHasher.HashSize, MerkleHasher.HashSize));
            }
            _rows[height] = row;
        }
    }

    public int Width { get; }

    /// <summary>The node at <paramref name="height"/> (0–8) above the tile's hashes, <paramref name="offset"/> from the tile's left edge.</summary>
    public byte[] Node(int height, int offset)
    {
        var row = _rows[height];
        if ((offset + 1) * MerkleHasher.HashSize > row.Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"node ({height}, {offset}) is not complete in a tile of width {Width}");
        return row.AsSpan(offset * MerkleHasher.HashSize, MerkleHasher.HashSize).ToArray();
    }

    /// <summary>The root of a full tile: the hash it contributes to the level above.</summary>
    public byte[] Root => Node(TilePath.TileHeight, 0);
}
