using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>
/// Changes the store's trust only through the log: the change is signed by a key the trust lets sign
/// <c>key-change</c> and logged; <c>trust.json</c> is then written again from the log. The log records who trusted
/// which key for what, and who revoked it when; a key added here vouches only for entries logged after its change.
/// </summary>
public static class TrustChanges
{
    public static Task<Result<LoggedStatement>> AddAsync(ReleaseStore store, TrustedKey key, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return Refused(trust.Problem);
        if (trust.Value.Keys.Any(k => k.Name == key.Name))
            return Refused(new Problem(ErrorCodes.InputMalformed, $"'{key.Name}' is already in the trust file; give the new key another name (e.g. ci-2027) and revoke or let the old one expire"));
        if (trust.Value.Keys.FirstOrDefault(k => k.Key.KeyId == key.Key.KeyId) is { } same)
            return Refused(new Problem(ErrorCodes.InputMalformed, $"the public key {key.Key.KeyId} is trusted already, as '{same.Name}': one key, one name, so that every statement names who signed it"));
        if (key.Kinds.Count == 0 || key.Kinds.Any(k => !KnownKinds.Contains(k)))
            return Refused(new Problem(ErrorCodes.InputMalformed, $"kinds [{string.Join(", ", key.Kinds)}]: each must be one of {string.Join(", ", KnownKinds.All)}"));
        var change = new KeyChangePredicate(KeyChangePredicate.Add, key.Name, key.Key.ToPem(), [.. key.Kinds.Order(StringComparer.Ordinal)], key.ValidFrom, key.ValidUntil, null);
        return ApplyAsync(store, change, signer, clock, cancellation);
    }

    public static Task<Result<LoggedStatement>> RevokeAsync(ReleaseStore store, string name, DateTimeOffset revokedAt, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return Refused(trust.Problem);
        if (trust.Value.Keys.FirstOrDefault(k => k.Name == name) is not { } key)
            return Refused(new Problem(ErrorCodes.InputMalformed, $"'{name}' is not in the trust file"));
        if (key.RevokedAt is { } already)
            return Refused(new Problem(ErrorCodes.InputMalformed, $"'{name}' was revoked at {already:O} already"));
        var change = new KeyChangePredicate(KeyChangePredicate.Revoke, name, key.Key.ToPem(), [.. key.Kinds.Order(StringComparer.Ordinal)], key.ValidFrom, key.ValidUntil, revokedAt);
        return ApplyAsync(store, change, signer, clock, cancellation);
    }

    private static async Task<Result<LoggedStatement>> ApplyAsync(ReleaseStore store, KeyChangePredicate change, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation)
    {
        var logged = await new StatementLedger(store).AppendAsync(KeyChangeStatement.Of(change), signer, clock, cancellation);
        if (!logged.IsOk)
            return logged;
        var written = store.WriteTrustFile();
        return written.IsOk ? logged : written.Problem;
    }

    private static Task<Result<LoggedStatement>> Refused(Problem problem) => Task.FromResult(Result<LoggedStatement>.Fail(problem));
}
