using System.Globalization;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;

namespace Rollproof.Server.Locks;

/// <summary>
/// The environment locks of the store the server serves, for clients that run rollbacks with <c>--server</c>: the
/// same owner record a local run keeps (<c>.rollproof/locks/ENV.lock</c>), plus the actor whose token took it and a
/// lease the running client renews. One rollback per environment; a lock whose lease expired is a crashed run's, taken
/// back only by the same execution and the same actor; no actor ever takes over or releases another's lock, except by
/// an override logged by an admin of the environment's policy. The lock is not the record (the log is); it keeps runs apart.
/// </summary>
public sealed class EnvironmentLeases(LogService log, TimeSpan lease, TimeProvider clock)
{
    private readonly Lock _gate = new();

    private string Directory => Path.Combine(log.Store.Root, ".rollproof", "locks");

    public Result<LockAnswer?> Show(string environment)
    {
        if (Unnamed(environment) is { } bad)
            return bad;
        lock (_gate)
            return Result<LockAnswer?>.Ok(Read(environment) is { } owner ? Answer(environment, owner, fresh: false) : null);
    }

    /// <summary>Takes the lock for the request <paramref name="asked"/> names, for <paramref name="actor"/>'s client, or takes back a crashed run's.</summary>
    public Result<LockAnswer?> Acquire(string environment, LockRequest asked, string actor)
    {
        if ((Unnamed(environment) ?? NotARequestFor(environment, asked.Execution)) is { } bad)
            return bad;
        lock (_gate)
        {
            var owner = Read(environment);
            if (owner is not null)
            {
                if (owner.Execution != asked.Execution)
                    return Result<LockAnswer?>.Fail(ErrorCodes.EnvironmentLocked, $"{environment} is locked by {owner}; resume it, or override the lock with a logged reason");
                if (Alive(owner) && owner.Process != asked.Process)
                    return Result<LockAnswer?>.Fail(ErrorCodes.EnvironmentLocked, $"{environment} is being rolled back right now by {owner}; wait for it to end");
                if (Others(owner, actor) is { } refused)
                    return refused;
            }
            var size = log.Store.Log.ReadCheckpoint();
            if (!size.IsOk)
                return size.Problem;
            var now = clock.GetUtcNow();
            var mine = new LockOwner(asked.Execution, asked.Process, now) { Actor = actor, LeaseUntil = now + lease, LogSizeWhenTaken = size.Value.Checkpoint.Size };
            Write(environment, mine);
            return Result<LockAnswer?>.Ok(Answer(environment, mine, fresh: owner is null));
        }
    }

    /// <summary>Extends the lease of the run that holds the lock: the same execution, process and actor only.</summary>
    public Result<LockAnswer?> Renew(string environment, LockRequest asked, string actor) => Lease(environment, asked, actor, lease);

    /// <summary>
    /// Ends the lease of the run that holds the lock, as a local run's OS lock ends with its process: the lock stays,
    /// for the same execution to resume or an admin to override, but no run is under way any more.
    /// </summary>
    public Result<LockAnswer?> EndRun(string environment, LockRequest asked, string actor) => Lease(environment, asked, actor, TimeSpan.Zero);

    private Result<LockAnswer?> Lease(string environment, LockRequest asked, string actor, TimeSpan left)
    {
        if (Unnamed(environment) is { } bad)
            return bad;
        lock (_gate)
        {
            var owner = Read(environment);
            if (owner is null || owner.Execution != asked.Execution || owner.Process != asked.Process)
                return Result<LockAnswer?>.Fail(ErrorCodes.EnvironmentLocked, $"{environment} is not held by this run of execution {asked.Execution}" + (owner is null ? "" : $" but by {owner}"));
            if (Others(owner, actor) is { } refused)
                return refused;
            var leased = owner with { LeaseUntil = clock.GetUtcNow() + left };
            Write(environment, leased);
            return Result<LockAnswer?>.Ok(Answer(environment, leased, fresh: false));
        }
    }

    /// <summary>Releases the lock <paramref name="asked"/>'s execution holds, for the actor who took it; nothing when that execution holds none.</summary>
    public Result<LockAnswer?> Release(string environment, LockRequest asked, string actor)
    {
        if (Unnamed(environment) is { } bad)
            return bad;
        lock (_gate)
        {
            var owner = Read(environment);
            if (owner is null || owner.Execution != asked.Execution)
                return Result<LockAnswer?>.Fail(ErrorCodes.EnvironmentLocked, owner is null ? $"{environment} is not locked" : $"{environment} is locked by {owner}, not by execution {asked.Execution}");
            if (Others(owner, actor) is { } refused)
                return refused;
            Delete(environment, owner);
            return Result<LockAnswer?>.Ok(Answer(environment, owner with { LeaseUntil = null }, fresh: false));
        }
    }

    /// <summary>
    /// Releases a lock no run holds once an override of it is in the log: a <c>lock-override</c> statement that counts,
    /// logged since the lock was taken, naming this environment and its holder, signed by an admin of its policy.
    /// </summary>
    public Result<LockAnswer?> Override(string environment, LockOverrideRequest asked)
    {
        if (Unnamed(environment) is { } bad)
            return bad;
        lock (_gate)
        {
            if (Read(environment) is not { } owner)
                return Result<LockAnswer?>.Fail(ErrorCodes.InputMalformed, $"{environment} is not locked");
            if (Alive(owner))
                return Result<LockAnswer?>.Fail(ErrorCodes.EnvironmentLocked, $"{environment} is being rolled back right now by {owner}; a running execution's lock is not overridden");
            var logged = new StatementLedger(log.Store).Read<LockOverridePredicate>(asked.Index, StatementKinds.LockOverride);
            if (!logged.IsOk)
                return logged.Problem with { Code = ErrorCodes.LockOverrideInvalid, Message = $"index: {logged.Problem.Message}" };
            var (entry, predicate) = (logged.Value.Entry, logged.Value.Predicate);
            if (predicate.Environment != environment || predicate.Holder != owner.Execution || entry.Index < (owner.LogSizeWhenTaken ?? 0))
                return Result<LockAnswer?>.Fail(ErrorCodes.LockOverrideInvalid, $"index: the override logged at {entry.Index} releases {predicate.Environment}'s lock of execution {predicate.Holder}, not {environment}'s lock held by {owner} since log size {owner.LogSizeWhenTaken ?? 0}");
            var policy = PolicyLedger.Read(new StatementLedger(log.Store), log.Store, environment);
            if (!policy.IsOk)
                return policy.Problem;
            if (entry.Signer is not { } admin || !policy.Value.Policy.Holds(admin, RollbackRole.Admin))
                return Result<LockAnswer?>.Fail(ErrorCodes.RoleNotHeld, $"the override logged at {entry.Index} is signed by {entry.Signer ?? "a key the trust never allowed"}, not an admin in {environment}");
            Delete(environment, owner);
            return Result<LockAnswer?>.Ok(Answer(environment, owner, fresh: false));
        }
    }

    private bool Alive(LockOwner owner) => owner.LeaseUntil > clock.GetUtcNow();

    private LockAnswer Answer(string environment, LockOwner owner, bool fresh) => new(environment, owner, Alive(owner), fresh, lease.TotalSeconds);

    // A lock taken by another actor's token: never theirs to renew, resume or release (a lock taken on the server's own
    // machine, with --store, names no actor: the same execution takes it back, as locally).
    private static Problem? Others(LockOwner owner, string actor) => owner.Actor is { } holder && holder != actor
        ? new Problem(ErrorCodes.LockHeldByAnotherActor, $"the lock is held by {owner}, not by {actor}: only {holder} resumes or releases it, or an admin overrides it with a logged reason")
        : null;

    private static Problem? Unnamed(string environment) => Names.IsValid(environment)
        ? null
        : new Problem(ErrorCodes.InputMalformed, "environment: not a valid environment name");

    // The execution is a rollback request's log index, and that request is for this environment.
    private Problem? NotARequestFor(string environment, string execution)
    {
        if (!long.TryParse(execution, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return new Problem(ErrorCodes.InputMalformed, "execution: not a rollback request's log index");
        var request = new StatementLedger(log.Store).Read<RollbackRequestPredicate>(index, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem with { Message = $"execution: {request.Problem.Message}" };
        return request.Value.Predicate.Environment == environment
            ? null
            : new Problem(ErrorCodes.InputMalformed, $"execution: request {index} is for {request.Value.Predicate.Environment}, not {environment}");
    }

    private LockOwner? Read(string environment) => new EnvironmentLock(Directory, environment).Owner();

    private void Write(string environment, LockOwner owner)
    {
        System.IO.Directory.CreateDirectory(Directory);
        DurableFile.Replace(Path.Combine(Directory, environment + ".lock"), JsonSerializer.SerializeToUtf8Bytes(owner, PredicateJson.Options));
    }

    private void Delete(string environment, LockOwner owner) => new EnvironmentLock(Directory, environment).Release(owner.Execution);
}
