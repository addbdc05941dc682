using Rollproof.Storage;

namespace Rollproof.Trust;

/// <summary>
/// How a later statement names an earlier one: its index in the log and the digest of its envelope (the log entry's
/// bytes), so the reference can be redirected neither to another entry nor to other bytes at that index.
/// </summary>
public sealed record StatementRef(long LogIndex, string Digest)
{
    public static StatementRef Of(long logIndex, ReadOnlySpan<byte> envelope) => new(logIndex, Sha256Digest.Of(envelope).ToString());
}
