using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Evidence;

/// <summary>
/// The log's keys as a trust file holds them (kind <c>checkpoint</c>), each with its window: a signed entry timestamp
/// counts only if a log key valid at the time it states (from, until, not revoked) signed it, and the checkpoint only
/// if signed by a log key valid when the package's last entry was logged. A rotated or revoked log key vouches for
/// nothing after its window.
/// </summary>
internal sealed class EvidenceLogKeys
{
    private readonly IReadOnlyList<(TrustedKey Trusted, INoteVerifier Verifier)> keys;

    public EvidenceLogKeys(TrustFile trust, string origin) =>
        keys = [.. trust.Keys.Where(k => k.Kinds.Contains(LogPublicKeys.Kind)).Select(k => (k, LogPublicKeys.ToNoteVerifier(k.Key, origin)))];

    public IReadOnlyList<INoteVerifier> ValidAt(DateTimeOffset time) => [.. keys.Where(k => ValidDuring(k.Trusted, time)).Select(k => k.Verifier)];

    /// <summary>Null when a log key valid at the timestamp's stated time signed it for the entry.</summary>
    public string? WhyNotTimestamped(EvidenceEntry entry, SignedEntryTimestamp timestamp)
    {
        var time = timestamp.Time;
        var valid = ValidAt(time);
        return valid.Any(k => timestamp.Verify(k, entry.Envelope, entry.Index) is null)
            ? null
            : $"the signed entry timestamp ({time:O}) does not verify with a log key of the trust file valid at that time{Absent(time)}";
    }

    /// <summary>Why no log key can speak for <paramref name="time"/>, or empty when one can.</summary>
    public string Absent(DateTimeOffset time) =>
        keys.Count == 0 ? " (the trust file names no log key: kind 'checkpoint')"
        : ValidAt(time).Count > 0 ? ""
        : $" (no log key of the trust file is valid at {time:O}: {string.Join("; ", keys.Select(k => Window(k.Trusted)))})";

    // Log timestamps are whole seconds, while a store's log key is trusted from the instant the store was created: a
    // key counts for a timestamp if its window overlaps the second the timestamp names.
    private static bool ValidDuring(TrustedKey key, DateTimeOffset second) => key.IsValidAt(second) || key.IsValidAt(second.AddSeconds(1).AddTicks(-1));

    private static string Window(TrustedKey key) =>
        $"log key '{key.Name}' valid from {key.ValidFrom:O}{(key.ValidUntil is { } until ? $" until {until:O}" : "")}{(key.RevokedAt is { } revoked ? $", revoked at {revoked:O}" : "")}";
}
