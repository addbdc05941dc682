using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Trust;

/// <summary>
/// Derives a store's trust from its log alone: the anchors logged as entry 0, then every key change, in log order,
/// each judged by the trust the entries before it established. A key added at index N vouches only for entries after
/// N; a revocation takes effect from the time it names. A key change that does not count is set aside and reported.
/// The one exception to "signed by a trusted key" is trust on first use: while no key may sign releases, a key may
/// add itself for releases alone, signing its own key change.
/// </summary>
public static class TrustHistory
{
    /// <param name="map">Where the log's statements are, for a tree of the size to derive the trust of.</param>
    public static Result<DerivedTrust> Derive(LogDirectory log, KindMap map)
    {
        var treeSize = map.Size;
        if (treeSize == 0)
            return Result<DerivedTrust>.Fail(ErrorCodes.TrustFileMalformed, "the log is empty: it does not record the store's trust anchors (entry 0)");
        var entries = new ProvenEntries(log, map);
        var anchors = entries.Read(TrustAnchors.Index);
        var trust = anchors.IsOk ? TrustAnchors.Read(anchors.Value.Span) : anchors.Problem;
        if (!trust.IsOk)
            return trust.Problem;
        var current = trust.Value;
        // The key the store's log.json names must be the one its anchors trust for checkpoints: a log whose key was
        // swapped (with its anchors left as they were) is not the log those anchors describe.
        var logKey = LogPublicKeys.ToPublicKey(log.Verifier).KeyId;
        if (!current.Keys.Any(k => k.Kinds.Contains(KnownKinds.Checkpoint) && k.Key.KeyId == logKey))
            return Result<DerivedTrust>.Fail(ErrorCodes.KeyNotTrusted, $"the log's key {log.Config.VerifierKey} is not the checkpoint key the store's trust anchors (entry {TrustAnchors.Index}) name");
        var setAside = new List<string>();
        foreach (var index in map.Of(KeyChangePredicate.Kind, TrustAnchors.Index + 1, treeSize))
        {
            var entry = entries.Read(index);
            if (!entry.IsOk)
                return entry.Problem;
            var applied = Judge(log, current, index, entry.Value.Span);
            if (!applied.IsOk)
                return applied.Problem with { Message = $"log entry {index}: {applied.Problem.Message}" };
            if (applied.Value.Trust is { } changed)
                current = changed;
            else
                setAside.Add($"log entry {index} (key change): {applied.Value.SetAside}");
        }
        return Result<DerivedTrust>.Ok(new DerivedTrust(current, setAside));
    }

    private sealed record Outcome(TrustFile? Trust, string? SetAside);

    private static Result<Outcome> Judge(LogDirectory log, TrustFile trust, long index, ReadOnlySpan<byte> entry)
    {
        var verdict = StatementJudge.JudgeLogged(log, index, entry, trust);
        if (!verdict.IsOk)
            return verdict.Problem;
        if (verdict.Value.Kind != KeyChangePredicate.Kind)
            return Result<Outcome>.Fail(ErrorCodes.EntryHashMismatch, $"log entry {index} looked like a key change when the log was mapped, and reads as {verdict.Value.Kind ?? "no statement"} now");
        return Result<Outcome>.Ok(Apply(trust, verdict.Value, index, entry));
    }

    /// <summary>
    /// Why the key change <paramref name="entry"/>, judged as <paramref name="verdict"/>, would be set aside if logged
    /// at <paramref name="index"/> under <paramref name="trust"/>; null when it would change the trust. A server asks
    /// before logging one, so that a key change that would not count never enters its log.
    /// </summary>
    public static string? WouldSetAside(TrustFile trust, Verdict verdict, long index, ReadOnlySpan<byte> entry) =>
        verdict.Kind == KeyChangePredicate.Kind ? Apply(trust, verdict, index, entry).SetAside : "it is not a key change";

    private static Outcome Apply(TrustFile trust, Verdict verdict, long index, ReadOnlySpan<byte> entry)
    {
        // A key change that does not count is read all the same, for one question only: is it a key trusting itself
        // on first use? Its own signature then decides (IsFirstUse); nothing else it says is acted on.
        var change = PredicateJson.Read<KeyChangePredicate>(verdict.Statement!, RollproofPredicates.PredicateType(KeyChangePredicate.Kind), "a key change");
        if (!change.IsOk)
            return new Outcome(null, change.Problem.Message);
        if (!verdict.Counts && !IsFirstUse(trust, change.Value, entry))
            return new Outcome(null, verdict.SetAside);
        var changed = Change(trust, change.Value, index);
        return changed.IsOk ? new Outcome(changed.Value, null) : new Outcome(null, changed.Problem.Message);
    }

    // Trust on first use: no key may sign releases yet, and this key adds itself for releases alone, signed by itself.
    private static bool IsFirstUse(TrustFile trust, KeyChangePredicate change, ReadOnlySpan<byte> entry)
    {
        if (change.Action != KeyChangePredicate.Add || change.Kinds is not [KnownKinds.Release] || trust.Keys.Any(k => k.Kinds.Contains(KnownKinds.Release)))
            return false;
        var key = PublicKey.FromPem(change.PublicKey);
        var envelope = DsseEnvelope.Parse(entry);
        return key.IsOk && envelope.IsOk && envelope.Value.Verify([key.Value]).IsOk;
    }

    private static Result<TrustFile> Change(TrustFile trust, KeyChangePredicate change, long index)
    {
        var key = PublicKey.FromPem(change.PublicKey);
        if (!key.IsOk)
            return key.Problem;
        var named = trust.Keys.FirstOrDefault(k => k.Name == change.Name);
        switch (change.Action)
        {
            case KeyChangePredicate.Add when !Names.IsValid(change.Name):
                return Refuse($"name '{change.Name}': {Names.Rule}");
            case KeyChangePredicate.Add when change.ValidUntil <= change.ValidFrom:
                return Refuse($"its window ends ({change.ValidUntil:O}) before it starts ({change.ValidFrom:O})");
            case KeyChangePredicate.Add when named is not null:
                return Refuse($"'{change.Name}' is trusted already; a key change adds a new name");
            case KeyChangePredicate.Add when trust.Keys.FirstOrDefault(k => k.Key.KeyId == key.Value.KeyId) is { } same:
                return Refuse($"the key is trusted already as '{same.Name}'");
            case KeyChangePredicate.Add when change.Kinds.Count == 0 || change.Kinds.Any(k => !KnownKinds.Contains(k)):
                return Refuse($"kinds [{string.Join(", ", change.Kinds)}] are not all known statement kinds ({string.Join(", ", KnownKinds.All)})");
            case KeyChangePredicate.Add:
                return Result<TrustFile>.Ok(trust.With(new TrustedKey(change.Name, key.Value, change.Kinds.ToHashSet(StringComparer.Ordinal), change.ValidFrom, change.ValidUntil, null, index)));
            case KeyChangePredicate.Revoke when named is null || named.Key.KeyId != key.Value.KeyId:
                return Refuse($"'{change.Name}' with that public key is not trusted");
            case KeyChangePredicate.Revoke when named.RevokedAt is not null || change.RevokedAt is null:
                return Refuse(named.RevokedAt is { } already ? $"'{change.Name}' was revoked at {already:O} already" : "a revocation names its time");
            case KeyChangePredicate.Revoke:
                return Result<TrustFile>.Ok(trust.Replace(named with { RevokedAt = change.RevokedAt }));
            default:
                return Refuse($"action '{change.Action}' is neither {KeyChangePredicate.Add} nor {KeyChangePredicate.Revoke}");
        }
    }

    private static Result<TrustFile> Refuse(string why) => Result<TrustFile>.Fail(ErrorCodes.KeyNotTrusted, why);
}
