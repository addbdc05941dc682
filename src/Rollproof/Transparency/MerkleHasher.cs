using System.Buffers;
using System.Security.Cryptography;

namespace Rollproof.Transparency;

/// <summary>RFC 6962 / RFC 9162 hashing: SHA-256 with domain separation between leaves (0x00) and interior nodes (0x01).</summary>
public static class MerkleHasher
{
    public const int HashSize = 32;

    private const int StackLimit = 1024;

    // Short inputs go to libcrypto's low-level SHA-256 (OpenSslSha256) when it is there. Otherwise, one reusable hash
    // object per thread: a third cheaper than SHA256.HashData, which sets up a context per call.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static IncrementalHash Sha256 => t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>MTH({}) = SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    public static byte[] LeafHash(ReadOnlySpan<byte> entry)
    {
        var hash = new byte[HashSize];
        LeafHash(entry, hash);
        return hash;
    }

    public static void LeafHash(ReadOnlySpan<byte> entry, Span<byte> destination)
    {
        // One-shot hashing of 0x00 || entry is several times faster than an incremental hash object per leaf.
        var length = entry.Length + 1;
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        buffer[0] = 0x00;
        entry.CopyTo(buffer[1..]);
        Hash(buffer, destination);
        if (rented is not null)
            ArrayPool<byte>.Shared.Return(rented);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[HashSize];
        NodeHash(left, right, hash);
        return hash;
    }

    public static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        Hash(buffer, destination);
    }

    private static void Hash(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        if (OpenSslSha256.IsAvailable && input.Length <= OpenSslSha256.MaxInputSize)
        {
            OpenSslSha256.Hash(input, destination);
            return;
        }
        Sha256.AppendData(input);
        Sha256.GetHashAndReset(destination);
    }

    /// <summary>The Merkle tree hash of a perfect tree whose bottom row is <paramref name="hashes"/> (concatenated), hashed in place in a copy.</summary>
    public static byte[] RootOf(ReadOnlySpan<byte> hashes)
    {
        var count = hashes.Length / HashSize;
        if (count == 0 || (count & (count - 1)) != 0 || hashes.Length % HashSize != 0)
            throw new ArgumentException("expected a power-of-two number of hashes", nameof(hashes));
        var row = hashes.ToArray();
        for (; count > 1; count /= 2)
        {
            for (var i = 0; i < count / 2; i++)
                NodeHash(row.AsSpan(2 * i * HashSize, HashSize), row.AsSpan(((2 * i) + 1) * HashSize, HashSize), row.AsSpan(i * HashSize, HashSize));
        }
        return row[..HashSize];
    }

    /// <summary>The Merkle tree hash of a sequence of already-hashed leaves (or subtree roots of equal height).</summary>
    public static byte[] RootOf(IReadOnlyList<byte[]> hashes)
    {
        if (hashes.Count == 0)
            return EmptyRoot();
        return RootOf(hashes, 0, hashes.Count);
    }

    private static byte[] RootOf(IReadOnlyList<byte[]> hashes, int start, int count)
    {
        if (count == 1)
            return hashes[start];
        var k = (int)TreeMath.SplitPoint(count);
        return NodeHash(RootOf(hashes, start, k), RootOf(hashes, start + k, count - k));
    }
}
