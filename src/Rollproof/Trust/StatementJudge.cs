using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Storage;

namespace Rollproof.Trust;

/// <summary>
/// The one trust path: a log entry counts as a statement only if it is signed by a key that the trust in force at
/// its logged time lets sign its kind, and that was added to the trust before the entry was logged. The signature is
/// checked before the statement is read any further than its kind, and no predicate is ever parsed here. Every
/// reader of the ledger, the release verifier and the evidence checker judge statements through this function; the
/// one exception is trust on first use (<see cref="TrustHistory"/>), where a release key vouches for itself once.
/// </summary>
public static class StatementJudge
{
    /// <param name="entry">The entry's bytes, as the log holds them.</param>
    /// <param name="index">Its log index.</param>
    /// <param name="loggedAt">The time the log's signed entry timestamp gives it, already verified; null if it has none.</param>
    public static Result<Verdict> Judge(ReadOnlySpan<byte> entry, long index, DateTimeOffset? loggedAt, TrustFile trust)
    {
        var envelope = DsseEnvelope.Parse(entry);
        if (!envelope.IsOk || envelope.Value.PayloadType != InTotoStatement.PayloadType)
            return Other(null, loggedAt);
        var signedBy = envelope.Value.Verify(trust.Keys.Select(k => k.Key).DistinctBy(k => k.KeyId));
        var statement = InTotoStatement.FromEnvelope(envelope.Value);
        if (!statement.IsOk)
            return Other(null, loggedAt);
        if (RollproofPredicates.KindOf(statement.Value.PredicateType) is not { } kind)
            return Other(statement.Value, loggedAt);
        if (!signedBy.IsOk)
            return Aside(kind, statement.Value, loggedAt, "signed by no key of the trust file");
        if (loggedAt is not { } time)
            return Result<Verdict>.Fail(ErrorCodes.EntryTimestampInvalid, $"log entry {index}, {Article.For(kind)} statement signed by '{trust.NameOf(signedBy.Value[0])}', has no signed entry timestamp: nothing fixes when it was logged, so it can be neither counted nor set aside");
        Problem? refusal = null;
        foreach (var keyId in signedBy.Value)
        {
            var allowed = trust.Authorize(keyId, kind, time, index);
            if (allowed.IsOk)
                return Result<Verdict>.Ok(new Verdict(kind, statement.Value, allowed.Value, time, null));
            refusal ??= allowed.Problem;
        }
        return Aside(kind, statement.Value, time, refusal!.Message);
    }

    /// <summary>
    /// The entry at <paramref name="index"/> of <paramref name="log"/>, judged at the time its signed entry timestamp
    /// gives it. A timestamp that does not verify with the log's key is a problem, never silently dropped: it means
    /// the log directory was altered.
    /// </summary>
    public static Result<Verdict> JudgeLogged(LogDirectory log, long index, ReadOnlySpan<byte> entry, TrustFile trust)
    {
        var timestamp = log.Timestamps.Read(index);
        if (!timestamp.IsOk)
            return timestamp.Problem;
        if (timestamp.Value?.Verify(log.Verifier, entry, index) is { } forged)
            return forged;
        return Judge(entry, index, timestamp.Value?.Time, trust);
    }

    private static Result<Verdict> Other(InTotoStatement? statement, DateTimeOffset? loggedAt) => Result<Verdict>.Ok(new Verdict(null, statement, null, loggedAt, null));

    private static Result<Verdict> Aside(string kind, InTotoStatement statement, DateTimeOffset? loggedAt, string why) =>
        Result<Verdict>.Ok(new Verdict(kind, statement, null, loggedAt, why));
}
