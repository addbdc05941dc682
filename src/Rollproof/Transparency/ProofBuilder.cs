using System.Collections.Concurrent;
using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>Generates RFC 6962 inclusion and consistency proofs and tree roots from any <see cref="INodeSource"/>.</summary>
public sealed class ProofBuilder(INodeSource nodes)
{
    private const int MaxRememberedRanges = 4096;

    // Hashes of ranges that are not perfect subtrees (the right edge of each tree size asked about), which almost
    // every proof for that size needs again. Nodes never change, so neither do these.
    private readonly ConcurrentDictionary<(long Lo, long Hi), byte[]> _rangeHashes = new();
    private int _rangeCount;

    /// <summary>MTH(D[0:size]).</summary>
    public byte[] Root(long size) => size == 0 ? MerkleHasher.EmptyRoot() : RangeHash(0, size);

    /// <summary>The audit path for <paramref name="index"/> in the tree of <paramref name="treeSize"/>, bottom-up.</summary>
    public Result<List<byte[]>> Inclusion(long index, long treeSize)
    {
        if (index < 0 || index >= treeSize)
            return Result<List<byte[]>>.Fail(ErrorCodes.IndexOutOfRange, $"index {index} is outside a tree of size {treeSize}");
        var proof = new List<byte[]>();
        AuditPath(index, 0, treeSize, proof);
        return Result<List<byte[]>>.Ok(proof);
    }

    /// <summary>The consistency proof from <paramref name="oldSize"/> to <paramref name="newSize"/> (empty when the sizes are equal or the old tree is empty).</summary>
    public Result<List<byte[]>> Consistency(long oldSize, long newSize)
    {
        if (oldSize < 0 || newSize < oldSize)
            return Result<List<byte[]>>.Fail(ErrorCodes.ProofArgumentsInvalid, $"cannot prove consistency from size {oldSize} to size {newSize}");
        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize)
            SubProof(oldSize, 0, newSize, true, proof);
        return Result<List<byte[]>>.Ok(proof);
    }

    // Recursion over D[lo:hi]: lo is always a multiple of the split size, so power-of-two ranges are perfect nodes.
    private byte[] RangeHash(long lo, long hi)
    {
        var n = hi - lo;
        if (TreeMath.IsPowerOfTwo(n))
        {
            var height = TreeMath.Log2(n);
            return nodes.GetNode(height, lo >> height);
        }
        if (_rangeHashes.TryGetValue((lo, hi), out var remembered))
            return remembered;
        var k = TreeMath.SplitPoint(n);
        var hash = MerkleHasher.NodeHash(RangeHash(lo, lo + k), RangeHash(lo + k, hi));
        // An approximate count: ConcurrentDictionary.Count would take every lock on each insert.
        if (Interlocked.Increment(ref _rangeCount) > MaxRememberedRanges)
        {
            _rangeHashes.Clear();
            Interlocked.Exchange(ref _rangeCount, 0);
        }
        _rangeHashes[(lo, hi)] = hash;
        return hash;
    }

    private void AuditPath(long index, long lo, long hi, List<byte[]> proof)
    {
        if (hi - lo == 1)
            return;
        var k = TreeMath.SplitPoint(hi - lo);
        if (index < lo + k)
        {
            AuditPath(index, lo, lo + k, proof);
            proof.Add(RangeHash(lo + k, hi));
        }
        else
        {
            AuditPath(index, lo + k, hi, proof);
            proof.Add(RangeHash(lo, lo + k));
        }
    }

    private void SubProof(long m, long lo, long hi, bool wholeOldTree, List<byte[]> proof)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!wholeOldTree)
                proof.Add(RangeHash(lo, hi));
            return;
        }
        var k = TreeMath.SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, lo, lo + k, wholeOldTree, proof);
            proof.Add(RangeHash(lo + k, hi));
        }
        else
        {
            SubProof(m - k, lo + k, hi, false, proof);
            proof.Add(RangeHash(lo, lo + k));
        }
    }
}
