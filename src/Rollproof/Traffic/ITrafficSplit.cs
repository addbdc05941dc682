using Rollproof.Common;

namespace Rollproof.Traffic;

/// <summary>
/// A router's traffic between the release being rolled back (<c>from</c>) and the target (<c>to</c>): how much goes
/// to the target, and, where the router can tell, how the target's responses went.
/// </summary>
public interface ITrafficSplit
{
    /// <summary>Sends <paramref name="percent"/> of new requests to the target and the rest to the current release.</summary>
    Task<Problem?> SplitAsync(int percent, CancellationToken cancellation);

    /// <summary>The share of new requests the target gets now, in percent (0 when it is out of service).</summary>
    Task<Result<int>> TargetPercentAsync(CancellationToken cancellation);

    /// <summary>The target's response and 5xx counters, or null when this router does not count them.</summary>
    Task<Result<(long Responses, long Errors)?>> TargetCountersAsync(CancellationToken cancellation);
}
