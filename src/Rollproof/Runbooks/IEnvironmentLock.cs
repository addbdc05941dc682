using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;

namespace Rollproof.Runbooks;

/// <summary>
/// One rollback per environment: held by a file beside a local store (<see cref="EnvironmentLock"/>), or by the
/// server a store is served from (<see cref="ServerEnvironmentLock"/>), so operators on different machines are kept
/// apart too. A read that cannot be made throws a <see cref="ProblemException"/>.
/// </summary>
public interface IEnvironmentLock
{
    /// <summary>Takes the lock for <paramref name="execution"/> (or takes it back after a crash) and marks the run as under way until the hold is disposed; refused naming the holder.</summary>
    Result<LockHold> Acquire(string execution, TimeProvider clock);

    /// <summary>Who holds the lock; null when nobody does.</summary>
    LockOwner? Owner();

    string? Holder();

    /// <summary>Whether any run holds the environment right now (only a lock no run holds may be overridden).</summary>
    bool Running();

    /// <summary>Whether the run <paramref name="owner"/> names is under way right now.</summary>
    bool RunsNow(LockOwner owner);

    /// <summary>Releases the lock <paramref name="execution"/> holds; nothing when it holds none.</summary>
    void Release(string execution);

    /// <summary>Releases <paramref name="holder"/>'s lock once <paramref name="logged"/>, its override, is in the log.</summary>
    Problem? ReleaseOverridden(string holder, LoggedStatement logged);
}

/// <summary>The environment lock a store's commands take: at its server when it is a served store's replica, beside it otherwise.</summary>
public static class EnvironmentLocks
{
    public static IEnvironmentLock For(ReleaseStore store, string environment) =>
        store.Server is { } server
            ? new ServerEnvironmentLock(server, environment)
            : new EnvironmentLock(Path.Combine(store.Root, ".rollproof", "locks"), environment);
}
