using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>What a client asks of a server's environment lock (<c>/api/rollproof/v1/locks/ENV</c>): take, renew or release it for an execution.</summary>
public sealed record LockRequest(string Execution, ProcessIdentity? Process);

/// <summary>An admin's logged override (<see cref="LockOverridePredicate"/>), by its log index, to apply to a server's lock.</summary>
public sealed record LockOverrideRequest(long Index);

/// <summary>
/// A server's answer about an environment's lock: its owner record, whether the run is under way (its lease not
/// expired), whether this request took a lock nobody held, and the lease a holder renews well within.
/// </summary>
public sealed record LockAnswer(string Environment, LockOwner Owner, bool Running, bool Fresh, double LeaseSeconds)
{
    /// <summary>The largest request or answer about a lock: a few names and numbers.</summary>
    public const int MaxSize = 4096;
}
