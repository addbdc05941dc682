using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Server.Access;

/// <summary>
/// The names a token may act as: those the trust the store's log establishes (its anchors and logged key changes)
/// gives a key valid now. Worked out again whenever the log publishes a new checkpoint, so a name whose key a logged
/// key change revokes loses access from the next request after that change.
/// </summary>
public sealed class TrustedActors(LogService log, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private byte[]? _checkpoint;
    private Result<TrustFile> _trust;

    /// <summary>The key <paramref name="name"/> holds in the trust now, or null when the trust gives that name none valid now.</summary>
    public Result<TrustedKey?> KeyOf(string name)
    {
        var trust = Trust();
        if (!trust.IsOk)
            return trust.Problem;
        var now = clock.GetUtcNow();
        return Result<TrustedKey?>.Ok(trust.Value.Keys.FirstOrDefault(k => k.Name == name && k.IsValidAt(now)));
    }

    /// <summary>
    /// Whether the trust gives any name a key valid now besides the log's own: until then no token acts for anyone,
    /// and trust must be bootstrapped on the server's machine (trust on first use needs the store itself).
    /// </summary>
    public bool Bootstrapped()
    {
        var trust = Trust();
        var now = clock.GetUtcNow();
        return !trust.IsOk || trust.Value.Keys.Any(k => k.IsValidAt(now) && k.Kinds.Any(kind => kind != global::Rollproof.Trust.KnownKinds.Checkpoint));
    }

    private Result<TrustFile> Trust()
    {
        var checkpoint = log.Writer.LatestCheckpoint;
        lock (_lock)
        {
            if (!ReferenceEquals(checkpoint, _checkpoint))
            {
                var derived = log.Store.DeriveTrust();
                _trust = derived.IsOk ? Result<TrustFile>.Ok(derived.Value.Trust) : derived.Problem;
                _checkpoint = checkpoint;
            }
            return _trust;
        }
    }
}
