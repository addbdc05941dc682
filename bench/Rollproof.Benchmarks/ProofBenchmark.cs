using System.Diagnostics;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Benchmarks;

/// <summary>Inclusion-proof generation from tiles (warm tile cache) and proof verification, single-threaded.</summary>
internal static class ProofBenchmark
{
    public static void Run(BenchOptions options)
    {
        var log = LogDirectory.Open(options.LogDir).Value;
        var checkpoint = log.ReadCheckpoint().Value.Checkpoint;
        var size = checkpoint.Size;
        var tiles = (int)(size / 256) + 64;
        var builder = new ProofBuilder(new TileNodeSource(log.Storage, size, cacheCapacity: tiles));
        var random = new Random(1);

        for (long i = 0; i < size; i += 256)
            builder.Inclusion(i, size); // warm: every tile read once
        var indexes = Enumerable.Range(0, 1 << 20).Select(_ => random.NextInt64(size)).ToArray();

        var proofs = new List<(long Index, List<byte[]> Proof)>();
        var timer = Stopwatch.StartNew();
        var n = 0;
        while (timer.Elapsed.TotalSeconds < options.Seconds)
        {
            var index = indexes[n++ % indexes.Length];
            var proof = builder.Inclusion(index, size).Value;
            if (proofs.Count < 100_000)
                proofs.Add((index, proof));
        }
        var generationRate = n / timer.Elapsed.TotalSeconds;

        var leafHashes = proofs.Select(p => LeafHash(log, p.Index, size)).ToArray();
        timer.Restart();
        var verified = 0;
        while (timer.Elapsed.TotalSeconds < options.Seconds)
        {
            var k = verified % proofs.Count;
            if (MerkleProofs.VerifyInclusion(proofs[k].Index, size, leafHashes[k], proofs[k].Proof, checkpoint.RootHash) is not null)
                throw new InvalidOperationException("a generated proof failed to verify");
            verified++;
        }
        var verificationRate = verified / timer.Elapsed.TotalSeconds;
        Console.WriteLine($"log of {size:N0} entries, {proofs[0].Proof.Count}-hash proofs");
        Console.WriteLine($"inclusion-proof generation from tiles: {generationRate:N0}/s");
        Console.WriteLine($"inclusion-proof verification: {verificationRate:N0}/s");
    }

    private static byte[] LeafHash(LogDirectory log, long index, long size) =>
        MerkleHasher.LeafHash(LogEntries.Read(log.Storage, index, size).Value);
}
