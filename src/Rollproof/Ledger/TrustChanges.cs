using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Signing;

namespace Rollproof.Ledger;

/// <summary>
/// Changes the store's trust file only through the log: the change is signed by a key the trust file lets sign
/// <c>key-change</c>, logged, and then applied to <c>trust.json</c>. The log records who trusted which key for what,
/// and who revoked it when.
/// </summary>
public static class TrustChanges
{
    public static Task<Result<LoggedStatement>> AddAsync(ReleaseStore store, TrustedKey key, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return Task.FromResult(Result<LoggedStatement>.Fail(trust.Problem));
        if (trust.Value.Keys.Any(k => k.Name == key.Name))
            return Task.FromResult(Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, $"'{key.Name}' is already in the trust file; give the new key another name (e.g. ci-2027) and revoke or let the old one expire"));
        var change = new KeyChangePredicate(KeyChangePredicate.Add, key.Name, key.Key.ToPem(), [.. key.Kinds.Order(StringComparer.Ordinal)], key.ValidFrom, key.ValidUntil, null);
        return ApplyAsync(store, change, trust.Value.With(key), signer, clock, cancellation);
    }

    public static Task<Result<LoggedStatement>> RevokeAsync(ReleaseStore store, string name, DateTimeOffset revokedAt, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return Task.FromResult(Result<LoggedStatement>.Fail(trust.Problem));
        if (trust.Value.Keys.FirstOrDefault(k => k.Name == name) is not { } key)
            return Task.FromResult(Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, $"'{name}' is not in the trust file"));
        if (key.RevokedAt is { } already)
            return Task.FromResult(Result<LoggedStatement>.Fail(ErrorCodes.InputMalformed, $"'{name}' was revoked at {already:O} already"));
        var change = new KeyChangePredicate(KeyChangePredicate.Revoke, name, key.Key.ToPem(), [.. key.Kinds.Order(StringComparer.Ordinal)], key.ValidFrom, key.ValidUntil, revokedAt);
        return ApplyAsync(store, change, trust.Value.Replace(key with { RevokedAt = revokedAt }), signer, clock, cancellation);
    }

    private static async Task<Result<LoggedStatement>> ApplyAsync(ReleaseStore store, KeyChangePredicate change, TrustFile changed, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation)
    {
        var subject = new Subject($"key:{change.Name}", new Dictionary<string, string> { ["sha256"] = Storage.Sha256Digest.Of(System.Text.Encoding.UTF8.GetBytes(change.PublicKey)).Hex });
        var statement = new InTotoStatement([subject], StatementKinds.PredicateType(StatementKinds.KeyChange), PredicateJson.Write(change));
        var logged = await new StatementLedger(store).AppendAsync(statement, signer, clock, cancellation);
        if (logged.IsOk)
            Storage.DurableFile.Replace(store.TrustPath, changed.ToJson());
        return logged;
    }
}
