using Rollproof.Transparency;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Releases;

/// <summary>
/// The trust a store's log establishes as of <paramref name="Checkpoint"/>, and where each kind of statement is in it
/// (<paramref name="Map"/>), all from one read of the checkpoint.
/// </summary>
public sealed record TrustedCheckpoint(TrustFile Trust, VerifiedCheckpoint Checkpoint, KindMap Map)
{
    /// <summary>The index the next entry gets: the least any statement judged "as if logged now" will have.</summary>
    public long NextIndex => Checkpoint.Checkpoint.Size;
}
