namespace Rollproof.Transparency;

/// <summary>
/// The roots of the perfect subtrees that make up a tree of <see cref="Size"/> leaves (at most one per bit of the
/// size): enough to append leaves and compute the RFC 6962 root without the leaves before. A reader uses it to check
/// that the entries it read are exactly the ones a checkpoint's root commits to.
/// </summary>
public sealed class CompactRange
{
    private readonly List<(int Height, byte[] Hash)> _subtrees;

    private CompactRange(List<(int, byte[])> subtrees, long size) => (_subtrees, Size) = (subtrees, size);

    public long Size { get; private set; }

    /// <summary>The subtree roots, largest first, as <see cref="Of"/> takes them back.</summary>
    public IReadOnlyList<byte[]> Hashes => [.. _subtrees.Select(s => s.Hash)];

    public static CompactRange Empty() => new([], 0);

    /// <summary>The range of a tree of <paramref name="size"/> whose subtree roots are <paramref name="hashes"/>, largest first; null if they cannot be.</summary>
    public static CompactRange? Of(long size, IReadOnlyList<byte[]> hashes)
    {
        var heights = Enumerable.Range(0, 63).Reverse().Where(bit => (size >> bit & 1) == 1).ToList();
        return size < 0 || heights.Count != hashes.Count || hashes.Any(h => h.Length != 32)
            ? null
            : new CompactRange([.. heights.Zip(hashes, (height, hash) => (height, hash))], size);
    }

    public void Append(ReadOnlySpan<byte> entry)
    {
        var hash = MerkleHasher.LeafHash(entry);
        var height = 0;
        while (_subtrees.Count > 0 && _subtrees[^1].Height == height)
        {
            hash = MerkleHasher.NodeHash(_subtrees[^1].Hash, hash);
            _subtrees.RemoveAt(_subtrees.Count - 1);
            height++;
        }
        _subtrees.Add((height, hash));
        Size++;
    }

    /// <summary>The tree's root: the subtree roots folded from the right, as RFC 6962 splits a tree.</summary>
    public byte[] Root()
    {
        if (_subtrees.Count == 0)
            return MerkleHasher.EmptyRoot();
        var root = _subtrees[^1].Hash;
        for (var i = _subtrees.Count - 2; i >= 0; i--)
            root = MerkleHasher.NodeHash(_subtrees[i].Hash, root);
        return root;
    }
}
