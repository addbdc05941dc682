using System.Security.Cryptography;
using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>Verification of RFC 9162 inclusion and consistency proofs (sections 2.1.3.2 and 2.1.4.2).</summary>
public static class MerkleProofs
{
    // A tree of at most 2^63 leaves needs at most 63 hashes; a longer proof is refused before anything is copied.
    private const int MaxProofHashes = 63;

    /// <summary>Checks that <paramref name="leafHash"/> is at <paramref name="index"/> in the tree of <paramref name="treeSize"/> with <paramref name="root"/>.</summary>
    public static Problem? VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        Span<byte> path = stackalloc byte[MaxProofHashes * MerkleHasher.HashSize];
        var problem = Concatenate(proof, treeSize, path);
        return problem ?? VerifyInclusionConcatenated(index, treeSize, leafHash, path[..(proof.Count * MerkleHasher.HashSize)], root);
    }

    /// <summary>
    /// <see cref="VerifyInclusion"/> for a proof given as its hashes back to back (the leaf's sibling first), the form in
    /// which proofs arrive on the wire: nothing is allocated unless the proof fails.
    /// </summary>
    public static Problem? VerifyInclusionConcatenated(long index, long treeSize, ReadOnlySpan<byte> leafHash, ReadOnlySpan<byte> proofHashes, ReadOnlySpan<byte> root)
    {
        Span<byte> computed = stackalloc byte[MerkleHasher.HashSize];
        var problem = RootFromInclusionProof(index, treeSize, leafHash, proofHashes, computed);
        if (problem is not null)
            return problem;
        return CryptographicOperations.FixedTimeEquals(computed, root)
            ? null
            : Fail(ErrorCodes.InclusionProofInvalid, $"inclusion proof for index {index} in tree size {treeSize} leads to a different root");
    }

    /// <summary>Recomputes the root that an inclusion proof implies; a malformed proof yields a problem.</summary>
    public static byte[] RootFromInclusionProof(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, out Problem? problem)
    {
        var computed = new byte[MerkleHasher.HashSize];
        Span<byte> path = stackalloc byte[MaxProofHashes * MerkleHasher.HashSize];
        problem = Concatenate(proof, treeSize, path)
            ?? RootFromInclusionProof(index, treeSize, leafHash, path[..(proof.Count * MerkleHasher.HashSize)], computed);
        return computed;
    }

    /// <summary>Recomputes into <paramref name="computed"/> (32 bytes) the root that a concatenated inclusion proof implies (RFC 9162 2.1.3.2).</summary>
    public static Problem? RootFromInclusionProof(long index, long treeSize, ReadOnlySpan<byte> leafHash, ReadOnlySpan<byte> proofHashes, Span<byte> computed)
    {
        if (index < 0 || index >= treeSize)
            return Fail(ErrorCodes.InclusionProofInvalid, $"index {index} is outside a tree of size {treeSize}");
        if (leafHash.Length != MerkleHasher.HashSize)
            return Fail(ErrorCodes.InclusionProofInvalid, $"leaf hash is {leafHash.Length} bytes, expected {MerkleHasher.HashSize}");
        if (proofHashes.Length % MerkleHasher.HashSize != 0)
            return Fail(ErrorCodes.InclusionProofInvalid, $"proof is {proofHashes.Length} bytes, not a whole number of {MerkleHasher.HashSize}-byte hashes");
        var count = proofHashes.Length / MerkleHasher.HashSize;
        var fn = index;
        var sn = treeSize - 1;
        var r = computed[..MerkleHasher.HashSize];
        leafHash.CopyTo(r);
        for (var i = 0; i < count; i++)
        {
            var p = proofHashes.Slice(i * MerkleHasher.HashSize, MerkleHasher.HashSize);
            if (sn == 0)
                return Fail(ErrorCodes.InclusionProofInvalid, $"proof has {count} hashes, more than a tree of size {treeSize} needs");
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHasher.NodeHash(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHasher.NodeHash(r, p, r);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? null : Fail(ErrorCodes.InclusionProofInvalid, $"proof has {count} hashes, fewer than a tree of size {treeSize} needs");
    }

    /// <summary>Copies a proof's hashes back to back into <paramref name="path"/>, refusing a hash of the wrong size or a proof longer than any tree needs.</summary>
    private static Problem? Concatenate(IReadOnlyList<byte[]> proof, long treeSize, Span<byte> path)
    {
        if (proof.Count > MaxProofHashes)
            return Fail(ErrorCodes.InclusionProofInvalid, $"proof has {proof.Count} hashes, more than a tree of size {treeSize} needs");
        for (var i = 0; i < proof.Count; i++)
        {
            var p = proof[i];
            if (p.Length != MerkleHasher.HashSize)
                return Fail(ErrorCodes.InclusionProofInvalid, $"proof hash {i} is {p.Length} bytes, expected {MerkleHasher.HashSize}");
            p.CopyTo(path[(i * MerkleHasher.HashSize)..]);
        }
        return null;
    }

    /// <summary>
    /// Checks that the tree of <paramref name="size1"/> with <paramref name="root1"/> is a prefix of the tree of <paramref name="size2"/>.
    /// Size 0 is rejected here, as in RFC 9162: callers treat an empty old tree as trivially consistent.
    /// </summary>
    public static Problem? VerifyConsistency(long size1, long size2, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2, IReadOnlyList<byte[]> proof)
    {
        if (size1 <= 0)
            return Fail(ErrorCodes.ConsistencyProofInvalid, $"old tree size {size1} must be at least 1");
        if (size2 < size1)
            return Fail(ErrorCodes.ConsistencyProofInvalid, $"new tree size {size2} is smaller than old tree size {size1}");
        if (size1 == size2)
        {
            if (proof.Count != 0)
                return Fail(ErrorCodes.ConsistencyProofInvalid, "trees of equal size need an empty consistency proof");
            return root1.SequenceEqual(root2) ? null : Fail(ErrorCodes.ConsistencyProofInvalid, $"trees of size {size1} have different roots");
        }
        if (proof.Count == 0)
            return Fail(ErrorCodes.ConsistencyProofInvalid, "consistency proof is empty");
        if (root1.Length != MerkleHasher.HashSize || root2.Length != MerkleHasher.HashSize)
            return Fail(ErrorCodes.ConsistencyProofInvalid, $"roots must be {MerkleHasher.HashSize} bytes");
        foreach (var p in proof)
        {
            if (p.Length != MerkleHasher.HashSize)
                return Fail(ErrorCodes.ConsistencyProofInvalid, $"proof hash is {p.Length} bytes, expected {MerkleHasher.HashSize}");
        }

        var path = proof;
        if (TreeMath.IsPowerOfTwo(size1))
            path = [root1.ToArray(), .. proof];
        var fn = size1 - 1;
        var sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        var fr = (byte[])path[0].Clone();
        var sr = (byte[])path[0].Clone();
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
                return Fail(ErrorCodes.ConsistencyProofInvalid, $"proof has {proof.Count} hashes, more than needed from size {size1} to {size2}");
            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHasher.NodeHash(c, fr, fr);
                MerkleHasher.NodeHash(c, sr, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                MerkleHasher.NodeHash(sr, c, sr);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0)
            return Fail(ErrorCodes.ConsistencyProofInvalid, $"proof has {proof.Count} hashes, fewer than needed from size {size1} to {size2}");
        if (!CryptographicOperations.FixedTimeEquals(fr, root1))
            return Fail(ErrorCodes.ConsistencyProofInvalid, $"proof does not lead to the old root (size {size1})");
        if (!CryptographicOperations.FixedTimeEquals(sr, root2))
            return Fail(ErrorCodes.ConsistencyProofInvalid, $"proof does not lead to the new root (size {size2})");
        return null;
    }

    private static Problem Fail(string code, string message) => new(code, message);
}
