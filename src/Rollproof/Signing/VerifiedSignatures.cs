using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Rollproof.Signing;

/// <summary>
/// The (message, signature) pairs one key has already verified, remembered by a SHA-256 digest of both: a server reads
/// the same signed checkpoint and checkpoint records several times per request, and the same bytes under the same key
/// verify the same way every time. Only successes are remembered, so a bad signature is checked (and refused) on every
/// read; bounded, so a stream of distinct notes costs memory only up to <see cref="Capacity"/>.
/// </summary>
internal sealed class VerifiedSignatures
{
    internal const int Capacity = 256;

    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, VerifyFunction verify)
    {
        var digest = Digest(message, signature);
        if (_seen.ContainsKey(digest))
            return true;
        if (!verify(message, signature))
            return false;
        if (_seen.Count >= Capacity)
            _seen.Clear();
        _seen.TryAdd(digest, 0);
        return true;
    }

    public delegate bool VerifyFunction(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    // Both lengths are hashed first, so no split of the same bytes into another message and signature collides.
    private static string Digest(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> lengths = stackalloc byte[16];
        BitConverter.TryWriteBytes(lengths, (long)message.Length);
        BitConverter.TryWriteBytes(lengths[8..], (long)signature.Length);
        hash.AppendData(lengths);
        hash.AppendData(message);
        hash.AppendData(signature);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToBase64String(digest);
    }
}
