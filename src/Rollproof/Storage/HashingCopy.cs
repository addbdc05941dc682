using System.Security.Cryptography;

namespace Rollproof.Storage;

/// <summary>
/// Copies a stream while hashing it, reading and hashing one chunk while the previous one is written;
/// <c>written</c> hears of each chunk (offset, length) once its write has completed.
/// </summary>
internal static class HashingCopy
{
    private const int ChunkSize = 1 << 20;

    public static async Task<Sha256Digest> CopyAsync(Stream source, Stream destination, CancellationToken cancellation, Action<long, int>? written = null)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffers = new[] { new byte[ChunkSize], new byte[ChunkSize] };
        var writing = ValueTask.CompletedTask;
        (long Offset, int Length) pending = (0, 0);
        for (var turn = 0; ; turn ^= 1)
        {
            var read = await source.ReadAtLeastAsync(buffers[turn], ChunkSize, throwOnEndOfStream: false, cancellation);
            if (read == 0)
                break;
            hash.AppendData(buffers[turn], 0, read);
            await writing;
            if (pending.Length > 0)
                written?.Invoke(pending.Offset, pending.Length);
            writing = destination.WriteAsync(buffers[turn].AsMemory(0, read), cancellation);
            pending = (pending.Offset + pending.Length, read);
        }
        await writing;
        if (pending.Length > 0)
            written?.Invoke(pending.Offset, pending.Length);
        return Sha256Digest.FromHash(hash.GetHashAndReset());
    }
}
