using System.Security.Cryptography;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

/// <summary>The fast path under Merkle hashing: present on Linux, and it agrees with .NET's SHA-256 at every length it takes.</summary>
public class OpenSslSha256Tests
{
    [Fact]
    public void Is_used_on_linux()
    {
        Assert.True(OpenSslSha256.IsAvailable, "libcrypto's SHA256_Init/Update/Final were not found: Merkle hashing falls back to the slower .NET path");
    }

    [Fact]
    public void Agrees_with_dotnet_sha256_up_to_its_limit()
    {
        var input = new byte[OpenSslSha256.MaxInputSize];
        new Random(16).NextBytes(input);
        var ours = new byte[32];
        for (var length = 0; length <= input.Length; length++)
        {
            OpenSslSha256.Hash(input.AsSpan(0, length), ours);
            Assert.Equal(SHA256.HashData(input.AsSpan(0, length)), ours);
        }
    }

    [Fact]
    public void Refuses_inputs_over_its_limit()
    {
        Assert.Throws<ArgumentException>(() => OpenSslSha256.Hash(new byte[OpenSslSha256.MaxInputSize + 1], new byte[32]));
    }

    [Fact]
    public void Merkle_node_and_leaf_hashes_are_rfc_6962()
    {
        var left = SHA256.HashData("left"u8);
        var right = SHA256.HashData("right"u8);
        Assert.Equal(SHA256.HashData([0x01, .. left, .. right]), MerkleHasher.NodeHash(left, right));
        Assert.Equal(SHA256.HashData([0x00, .. "entry"u8]), MerkleHasher.LeafHash("entry"u8));
        var large = new byte[OpenSslSha256.MaxInputSize * 3];
        Assert.Equal(SHA256.HashData([0x00, .. large]), MerkleHasher.LeafHash(large));
    }
}
