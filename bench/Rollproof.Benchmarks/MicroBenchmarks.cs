using BenchmarkDotNet.Attributes;
using Rollproof.Transparency;

namespace Rollproof.Benchmarks;

/// <summary>Hashing and proof primitives, measured by BenchmarkDotNet.</summary>
[MemoryDiagnoser]
public class MicroBenchmarks
{
    private readonly byte[] _entry = new byte[1024];
    private readonly byte[] _hash = new byte[32];
    private ProofBuilder _builder = null!;
    private List<byte[]> _proof = [];
    private byte[] _root = [];
    private byte[] _leaf = [];

    [GlobalSetup]
    public void Setup()
    {
        var tree = new MemoryNodeSource();
        for (var i = 0; i < 1 << 20; i++)
            tree.AppendLeafHash(MerkleHasher.LeafHash(BitConverter.GetBytes(i)));
        _builder = new ProofBuilder(tree);
        _proof = _builder.Inclusion(123_456, tree.Size).Value;
        _root = _builder.Root(tree.Size);
        _leaf = tree.GetNode(0, 123_456);
    }

    [Benchmark]
    public void LeafHash1KiB() => MerkleHasher.LeafHash(_entry, _hash);

    [Benchmark]
    public void NodeHash() => MerkleHasher.NodeHash(_hash, _hash, _hash);

    [Benchmark]
    public object? VerifyInclusion20() => MerkleProofs.VerifyInclusion(123_456, 1 << 20, _leaf, _proof, _root);

    [Benchmark]
    public object InclusionFromMemoryTree() => _builder.Inclusion(654_321, 1 << 20);
}
