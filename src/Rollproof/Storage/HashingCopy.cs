using System.Security.Cryptography;

namespace Rollproof.Storage;

/// <summary>Copies a stream while hashing it, reading and hashing one chunk while the previous one is written.</summary>
internal static class HashingCopy
{
    private const int ChunkSize = 1 << 20;

    public static async Task<Sha256Digest> CopyAsync(Stream source, Stream destination, CancellationToken cancellation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffers = new[] { new byte[ChunkSize], new byte[ChunkSize] };
        var writing = ValueTask.CompletedTask;
        for (var turn = 0; ; turn ^= 1)
        {
            var read = await source.ReadAtLeastAsync(buffers[turn], ChunkSize, throwOnEndOfStream: false, cancellation);
            if (read == 0)
                break;
            hash.AppendData(buffers[turn], 0, read);
            await writing;
            writing = destination.WriteAsync(buffers[turn].AsMemory(0, read), cancellation);
        }
        await writing;
        return Sha256Digest.FromHash(hash.GetHashAndReset());
    }
}
