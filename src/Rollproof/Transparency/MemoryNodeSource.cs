namespace Rollproof.Transparency;

/// <summary>An in-memory Merkle tree that keeps every level: for tests, small logs and cross-checking tiles.</summary>
public sealed class MemoryNodeSource : INodeSource
{
    private readonly List<List<byte[]>> _levels = [[]];

    public long Size => _levels[0].Count;

    public void AppendLeafHash(byte[] leafHash)
    {
        _levels[0].Add(leafHash);
        // Each completed pair at a level yields one node at the level above.
        for (var level = 0; _levels[level].Count % 2 == 0; level++)
        {
            if (level + 1 == _levels.Count)
                _levels.Add([]);
            var row = _levels[level];
            _levels[level + 1].Add(MerkleHasher.NodeHash(row[^2], row[^1]));
        }
    }

    public void AppendEntry(ReadOnlySpan<byte> entry) => AppendLeafHash(MerkleHasher.LeafHash(entry));

    public byte[] GetNode(int height, long index)
    {
        if (height >= _levels.Count || index >= _levels[height].Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"node ({height}, {index}) is not complete in a tree of size {Size}");
        return _levels[height][(int)index];
    }
}
