using FsCheck;
using FsCheck.Fluent;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

/// <summary>For random trees every generated proof verifies, and flipping any one bit of a proof makes it fail.</summary>
public class MerkleProofPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(200);

    [Fact]
    public void Every_inclusion_proof_verifies_and_every_bit_flip_fails()
    {
        var cases = from size in Gen.Choose(1, 600)
                    from index in Gen.Choose(0, size - 1)
                    from seed in Gen.Choose(0, int.MaxValue)
                    select (size, index, seed);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (tree, builder) = Tree(c.size, c.seed);
            var leaf = tree.GetNode(0, c.index);
            var root = builder.Root(c.size);
            var proof = builder.Inclusion(c.index, c.size).Value;
            Assert.Null(MerkleProofs.VerifyInclusion(c.index, c.size, leaf, proof, root));
            ForEachBitFlip(proof, flipped => Assert.NotNull(MerkleProofs.VerifyInclusion(c.index, c.size, leaf, flipped, root)));
            Assert.NotNull(MerkleProofs.VerifyInclusion(c.index, c.size, Flip(leaf, c.seed % 256), proof, root));
        }).Check(Config);
    }

    [Fact]
    public void Every_consistency_proof_verifies_and_every_bit_flip_fails()
    {
        var cases = from size2 in Gen.Choose(1, 600)
                    from size1 in Gen.Choose(1, size2)
                    from seed in Gen.Choose(0, int.MaxValue)
                    select (size1, size2, seed);
        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (_, builder) = Tree(c.size2, c.seed);
            var root1 = builder.Root(c.size1);
            var root2 = builder.Root(c.size2);
            var proof = builder.Consistency(c.size1, c.size2).Value;
            Assert.Null(MerkleProofs.VerifyConsistency(c.size1, c.size2, root1, root2, proof));
            ForEachBitFlip(proof, flipped => Assert.NotNull(MerkleProofs.VerifyConsistency(c.size1, c.size2, root1, root2, flipped)));
            Assert.NotNull(MerkleProofs.VerifyConsistency(c.size1, c.size2, Flip(root1, 3), root2, proof));
        }).Check(Config);
    }

    [Fact]
    public void Roots_match_the_recursive_definition()
    {
        Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), size =>
        {
            var (tree, builder) = Tree(size, size);
            var leaves = Enumerable.Range(0, size).Select(i => tree.GetNode(0, i)).ToList();
            Assert.Equal(MerkleHasher.RootOf(leaves), builder.Root(size));
        }).Check(Config);
    }

    private static (MemoryNodeSource Tree, ProofBuilder Builder) Tree(int size, int seed)
    {
        var tree = new MemoryNodeSource();
        for (var i = 0; i < size; i++)
            tree.AppendEntry(BitConverter.GetBytes((long)seed * 1_000_003 + i));
        return (tree, new ProofBuilder(tree));
    }

    private static void ForEachBitFlip(List<byte[]> proof, Action<List<byte[]>> check)
    {
        for (var h = 0; h < proof.Count; h++)
        {
            for (var bit = 0; bit < proof[h].Length * 8; bit++)
            {
                var flipped = proof.Select(p => (byte[])p.Clone()).ToList();
                flipped[h][bit / 8] ^= (byte)(1 << (bit % 8));
                check(flipped);
            }
        }
    }

    private static byte[] Flip(byte[] hash, int bit)
    {
        var copy = (byte[])hash.Clone();
        copy[bit / 8 % copy.Length] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
