using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;

namespace Rollproof.Runbooks;

/// <summary>
/// Releases an environment's rollback lock without resuming the execution that holds it: only an admin of the
/// environment's policy, only with a reason, and only once the override is logged, so the release is on record.
/// </summary>
public static class LockOverride
{
    public static async Task<Result<LoggedStatement>> ReleaseAsync(ReleaseStore store, string environment, string reason, IStatementSigner admin, TimeProvider clock, CancellationToken cancellation = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, NeedsReason);
        var environmentLock = EnvironmentLocks.For(store, environment);
        if (environmentLock.Holder() is not { } holder)
            return Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, $"{environment} is not locked");
        if (environmentLock.Running())
            return Result<LoggedStatement>.Fail(ErrorCodes.EnvironmentLocked, $"{environment} is being rolled back right now by {environmentLock.Owner()}; a running execution's lock is not overridden");
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        if (MayOverride(store, environment, reason, trust.Value.NameOf(admin.PublicKey.KeyId)) is { } mayNot)
            return mayNot;
        var statement = new InTotoStatement(
            [new Subject($"lock:{environment}", new Dictionary<string, string> { ["sha256"] = Storage.Sha256Digest.Of(System.Text.Encoding.UTF8.GetBytes(holder)).Hex })],
            StatementKinds.PredicateType(StatementKinds.LockOverride), PredicateJson.Write(new LockOverridePredicate(environment, holder, reason)));
        var logged = await new StatementLedger(store).AppendAsync(statement, admin, clock, cancellation);
        if (!logged.IsOk)
            return logged;
        return environmentLock.ReleaseOverridden(holder, logged.Value) is { } refused ? refused : logged;
    }

    /// <summary>
    /// Null if <paramref name="admin"/> (a trust-file name) may override <paramref name="environment"/>'s lock for
    /// <paramref name="reason"/>: an admin of the environment's policy in force, with a reason. Whether the lock is held,
    /// and not by a running execution, is known only where the lock is (the machine that ran it, or the server).
    /// </summary>
    public static Problem? MayOverride(ReleaseStore store, string environment, string reason, string? admin)
    {
        if (string.IsNullOrWhiteSpace(reason))
            return new Problem(ErrorCodes.InputMalformed, NeedsReason);
        var policy = PolicyLedger.Read(new StatementLedger(store), store, environment);
        if (!policy.IsOk)
            return policy.Problem;
        return admin is null || !policy.Value.Policy.Holds(admin, RollbackRole.Admin)
            ? new Problem(ErrorCodes.RoleNotHeld, $"{admin ?? "this key"} is not an admin in {environment}, and may not override its lock")
            : null;
    }

    private const string NeedsReason = "an override needs a reason";
}
