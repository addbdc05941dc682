using System.Text.Json;
using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Sigstore.Verification;

/// <summary>Checks one of a bundle's transparency-log entries against its content and the trusted root's logs.</summary>
public static class TlogEntryVerifier
{
    /// <param name="entry">One element of <c>verificationMaterial.tlogEntries</c>, untrusted.</param>
    /// <param name="content">The bundle's content, its signature already verified.</param>
    /// <param name="tlogs">The trusted root's <c>tlogs</c>.</param>
    /// <param name="timestampTimes">Times vouched for by verified RFC 3161 timestamps: the times at which a log key
    /// must have been valid for an entry that carries no integrated time of its own (Rekor v2).</param>
    /// <param name="now">The verifier's clock: an integrated time after it is refused.</param>
    /// <remarks>
    /// A Rekor v1 entry with a signed entry timestamp and no inclusion proof verifies (bundle v0.1); requiring the
    /// proof of later bundle versions is the bundle reader's part.
    /// </remarks>
    public static Result<VerifiedTlogEntry> Verify(JsonElement entry, SignedContent content, IReadOnlyList<TransparencyLogInstance> tlogs, IReadOnlyList<DateTimeOffset> timestampTimes, DateTimeOffset now)
    {
        var parsed = TlogBundleEntry.Parse(entry);
        if (!parsed.IsOk)
            return parsed.Problem;
        var tle = parsed.Value;
        var mismatch = TlogBody.Match(tle.Kind, tle.Version, tle.Body, content);
        if (mismatch is not null)
            return mismatch;
        var logs = tlogs.Where(log => log.LogId.AsSpan().SequenceEqual(tle.LogId) || (log.CheckpointKeyId is { } keyId && keyId.AsSpan().SequenceEqual(tle.LogId))).ToList();
        if (logs.Count == 0)
            return Result<VerifiedTlogEntry>.Fail(ErrorCodes.TlogLogUnknown, $"tlog entry logId.keyId {Convert.ToBase64String(tle.LogId)} names no log of the trusted root's {tlogs.Count} tlogs");
        // A log may appear more than once (a key reused across validity windows): any one that vouches suffices.
        Problem? firstProblem = null;
        foreach (var log in logs)
        {
            var verified = VerifyWith(log, tle, timestampTimes, now);
            if (verified.IsOk)
                return verified;
            firstProblem ??= verified.Problem;
        }
        return Result<VerifiedTlogEntry>.Fail(firstProblem!);
    }

    private static Result<VerifiedTlogEntry> VerifyWith(TransparencyLogInstance log, TlogBundleEntry tle, IReadOnlyList<DateTimeOffset> timestampTimes, DateTimeOffset now)
    {
        var key = TlogLogKey.From(log);
        if (!key.IsOk)
            return key.Problem;
        var rekorV2 = TlogBody.IsRekorV2(tle.Kind, tle.Version);
        // Rekor v2 signs no entry timestamp and its integrated time is always 0: both are ignored, as the spec says.
        var promise = rekorV2 ? null : tle.SignedEntryTimestamp;
        if (tle.Proof is null && promise is null)
            return Result<VerifiedTlogEntry>.Fail(ErrorCodes.TlogInclusionMissing, rekorV2
                ? "tlog entry has no inclusionProof: a Rekor v2 entry is proven only by its inclusion proof, and nothing is fetched from the log"
                : "tlog entry has neither an inclusionProof nor an inclusionPromise");
        DateTimeOffset? integratedTime = null;
        if (promise is not null)
        {
            var time = VerifyPromise(log, key.Value, tle, promise, now);
            if (!time.IsOk)
                return time.Problem;
            integratedTime = time.Value;
        }
        if (tle.Proof is { } proof)
        {
            var problem = VerifyInclusion(tle, proof, key.Value, rekorV2);
            if (problem is not null)
                return problem;
        }
        if (integratedTime is null)
        {
            var problem = ValidAtTimestamps(log, timestampTimes);
            if (problem is not null)
                return problem;
        }
        return Result<VerifiedTlogEntry>.Ok(new VerifiedTlogEntry(tle.Kind, tle.Version, tle.LogIndex, tle.LogId, integratedTime));
    }

    /// <summary>The signed entry timestamp, then the time it vouches for: not in the future, inside the key's window.</summary>
    private static Result<DateTimeOffset> VerifyPromise(TransparencyLogInstance log, TlogLogKey key, TlogBundleEntry tle, byte[] promise, DateTimeOffset now)
    {
        if (tle.IntegratedTime is not { } seconds || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return Result<DateTimeOffset>.Fail(ErrorCodes.TlogEntryMalformed, "tlog entry integratedTime: an entry with an inclusionPromise needs the time it promises, in Unix seconds");
        var payload = SignedEntryTimestamp.Payload(tle.Body, seconds, tle.LogIndex, tle.LogId);
        if (!key.Signed(payload, promise))
            return Result<DateTimeOffset>.Fail(ErrorCodes.TlogPromiseInvalid, $"tlog entry inclusionPromise.signedEntryTimestamp does not verify with the key of {log.BaseUrl} over the body, integrated time {seconds}, log ID and index {tle.LogIndex}");
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (time > now)
            return Result<DateTimeOffset>.Fail(ErrorCodes.TlogIntegratedTimeInFuture, $"tlog entry integratedTime {time:O} is after the verifier's clock ({now:O})");
        if (!log.ValidFor.Contains(time))
            return Result<DateTimeOffset>.Fail(ErrorCodes.TlogLogKeyNotValid, $"the key of {log.BaseUrl} was not valid at the entry's integrated time {time:O} (valid {Window(log.ValidFor)})");
        return Result<DateTimeOffset>.Ok(time);
    }

    /// <summary>
    /// The body's leaf hash up to the proof's root (Rekor v1 proves the shard's own index, which its proof carries;
    /// Rekor v2 has one index, the entry's), then the checkpoint that signs that root.
    /// </summary>
    private static Problem? VerifyInclusion(TlogBundleEntry tle, TlogInclusionProof proof, TlogLogKey key, bool rekorV2)
    {
        var index = rekorV2 ? tle.LogIndex : proof.LogIndex;
        var problem = MerkleProofs.VerifyInclusion(index, proof.TreeSize, MerkleHasher.LeafHash(tle.Body), proof.Hashes, proof.RootHash);
        if (problem is not null)
            return new Problem(ErrorCodes.TlogInclusionProofInvalid, $"tlog entry inclusionProof: {problem.Message}");
        return TlogCheckpoint.Verify(proof, key, rekorV2 ? tle.LogId : null);
    }

    /// <summary>With no signed integrated time, the log key must have been valid at every verified timestamp.</summary>
    private static Problem? ValidAtTimestamps(TransparencyLogInstance log, IReadOnlyList<DateTimeOffset> timestampTimes)
    {
        if (timestampTimes.Count == 0)
            return new Problem(ErrorCodes.TlogLogKeyNotValid, $"tlog entry of {log.BaseUrl} carries no signed integrated time and the bundle has no verified timestamp: nothing shows when the log's key signed");
        foreach (var time in timestampTimes)
        {
            if (!log.ValidFor.Contains(time))
                return new Problem(ErrorCodes.TlogLogKeyNotValid, $"the key of {log.BaseUrl} was not valid at the verified timestamp {time:O} (valid {Window(log.ValidFor)})");
        }
        return null;
    }

    private static string Window(ValidityPeriod period) =>
        $"from {(period.Start is { } start ? start.ToString("O") : "(no start: never)")} to {(period.End is { } end ? end.ToString("O") : "(no end)")}";
}
