namespace Rollproof.Sigstore.Verification;

/// <summary>
/// When a trusted-root key or authority may be relied on (<c>validFor</c> in <c>trusted_root.json</c>). Both ends are
/// inclusive, as Sigstore's clients treat them; no end means still valid. No start means nothing is inside: a
/// verifier that cannot tell when trust began must not assume it always held.
/// </summary>
public sealed record ValidityPeriod(DateTimeOffset? Start, DateTimeOffset? End)
{
    public bool Contains(DateTimeOffset time) => Start is { } start && time >= start && (End is not { } end || time <= end);
}
