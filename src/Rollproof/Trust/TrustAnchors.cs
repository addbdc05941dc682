using System.Text;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Trust;

/// <summary>
/// A store's trust anchors: the trust it was created with (the log's own key, and the keys given to
/// <c>rollproof init --trust</c>), logged as entry 0 of its log. Nothing signs it but the log itself (its signed
/// entry timestamp and every checkpoint after it): whoever created the store chose the anchors, and from then on the
/// log fixes them. Every later change of trust is a signed, logged key change.
/// </summary>
public static class TrustAnchors
{
    /// <summary>The log index the anchors are logged at.</summary>
    public const long Index = 0;

    private static readonly byte[] Header = Encoding.ASCII.GetBytes("rollproof.dev/trust-anchors/v1\n");

    /// <summary>The entry that records <paramref name="anchors"/>.</summary>
    public static byte[] Entry(TrustFile anchors) => [.. Header, .. anchors.ToJson()];

    /// <summary>The anchors an entry records, each key added at <see cref="Index"/>; a problem if the entry is not such a record.</summary>
    public static Result<TrustFile> Read(ReadOnlySpan<byte> entry)
    {
        if (!entry.StartsWith(Header))
            return Result<TrustFile>.Fail(ErrorCodes.TrustFileMalformed, $"log entry {Index} does not record the store's trust anchors: the store was made before trust was logged, or its log was replaced");
        var parsed = TrustFile.Parse(entry[Header.Length..]);
        if (!parsed.IsOk)
            return parsed.Problem with { Message = $"log entry {Index} (trust anchors): {parsed.Problem.Message}" };
        return Result<TrustFile>.Ok(parsed.Value.Keys.Aggregate(TrustFile.Empty, (trust, key) => trust.With(key with { AddedAt = Index })));
    }
}
