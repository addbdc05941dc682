using System.Diagnostics;
using Rollproof.Transparency;

namespace Rollproof.Benchmarks;

/// <summary>
/// Verifies the inclusion proofs that bench/GoTlogProofs wrote (<c>gotlogproofs gen FILE</c>), single-threaded, so that
/// Rollproof and Go's <c>golang.org/x/mod/sumdb/tlog</c> measure the same work (scripts/bench-proofs.sh runs both).
/// </summary>
internal static class ProofFileBenchmark
{
    private const int HashSize = MerkleHasher.HashSize;

    public static void Run(string file, double seconds)
    {
        var set = ProofFile.Read(file);
        for (var k = 0; k < set.Count; k++)
        {
            // Every proof must be good through both APIs, or the rates would measure early failures.
            if (MerkleProofs.VerifyInclusion(set.Indexes[k], set.TreeSize, set.Leaf(k), set.Proofs[k], set.Root) is not null
                || MerkleProofs.VerifyInclusionConcatenated(set.Indexes[k], set.TreeSize, set.Leaf(k), set.FlatProof(k), set.Root) is not null)
                throw new InvalidOperationException($"proof {k} in {file} does not verify");
        }
        var listRate = Rate(seconds, k => MerkleProofs.VerifyInclusion(set.Indexes[k], set.TreeSize, set.Leaf(k), set.Proofs[k], set.Root) is null, set.Count);
        var spanRate = Rate(seconds, k => MerkleProofs.VerifyInclusionConcatenated(set.Indexes[k], set.TreeSize, set.Leaf(k), set.FlatProof(k), set.Root) is null, set.Count);
        Console.WriteLine($"rollproof proofs/s: {listRate:F0} (VerifyInclusion, list of byte[]; {set.Count} proofs of {set.HashesPerProof} hashes, tree size {set.TreeSize})");
        Console.WriteLine($"rollproof span proofs/s: {spanRate:F0} (VerifyInclusionConcatenated, one span)");
    }

    private static double Rate(double seconds, Func<int, bool> verify, int count)
    {
        var timer = Stopwatch.StartNew();
        var verified = 0;
        while (timer.Elapsed.TotalSeconds < seconds)
        {
            for (var j = 0; j < 1024; j++)
            {
                if (!verify(verified % count))
                    throw new InvalidOperationException("a proof failed to verify");
                verified++;
            }
        }
        return verified / timer.Elapsed.TotalSeconds;
    }

    /// <summary>The proofs of one file: for each, its index, leaf hash and hashes (both as arrays and as one flat span).</summary>
    private sealed record ProofFile(long TreeSize, byte[] Root, int HashesPerProof, long[] Indexes, byte[] Leaves, byte[] Flat, List<byte[]>[] Proofs)
    {
        public int Count => Indexes.Length;

        public ReadOnlySpan<byte> Leaf(int k) => Leaves.AsSpan(k * HashSize, HashSize);

        public ReadOnlySpan<byte> FlatProof(int k) => Flat.AsSpan(k * HashesPerProof * HashSize, HashesPerProof * HashSize);

        public static ProofFile Read(string file)
        {
            using var reader = new BinaryReader(File.OpenRead(file));
            var size = reader.ReadInt64();
            var root = reader.ReadBytes(HashSize);
            var count = reader.ReadInt32();
            var perProof = reader.ReadInt32();
            var indexes = new long[count];
            var leaves = new byte[count * HashSize];
            var flat = new byte[count * perProof * HashSize];
            var proofs = new List<byte[]>[count];
            for (var k = 0; k < count; k++)
            {
                indexes[k] = reader.ReadInt64();
                reader.ReadBytes(HashSize).CopyTo(leaves, k * HashSize);
                proofs[k] = [];
                for (var i = 0; i < perProof; i++)
                {
                    var hash = reader.ReadBytes(HashSize);
                    hash.CopyTo(flat, ((k * perProof) + i) * HashSize);
                    proofs[k].Add(hash);
                }
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new InvalidDataException($"trailing bytes in {file}");
            return new ProofFile(size, root, perProof, indexes, leaves, flat, proofs);
        }
    }
}
