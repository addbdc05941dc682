using Rollproof.Transparency;
using Rollproof.Signing;

namespace Rollproof.Releases;

/// <summary>The trust a store's log establishes as of <paramref name="Checkpoint"/>, both from one read of the checkpoint.</summary>
public sealed record TrustedCheckpoint(TrustFile Trust, VerifiedCheckpoint Checkpoint)
{
    /// <summary>The index the next entry gets: the least any statement judged "as if logged now" will have.</summary>
    public long NextIndex => Checkpoint.Checkpoint.Size;
}
