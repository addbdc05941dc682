using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Releases;

/// <summary>A release whose signature, trust, log inclusion and artifacts all checked out.</summary>
public sealed record VerifiedRelease(ReleaseRecord Record, ReleasePredicate Predicate, IReadOnlyList<Subject> Artifacts, string SignedBy, Checkpoint Checkpoint);

/// <summary>
/// Verifies a published release end to end: the log's signed entry timestamp for the envelope, which fixes when it was
/// logged; the envelope's signature by a key the trust file allows to sign releases at that time; the envelope's
/// inclusion in the log under a checkpoint consistent with the last one this verifier saw; and every artifact's digest
/// in the store. The first failure is returned.
/// </summary>
public static class ReleaseVerifier
{
    public const string Kind = "release";

    public static async Task<Result<VerifiedRelease>> VerifyAsync(ReleaseStore store, string app, string version, TrustFile trust, string stateFile, CancellationToken cancellation = default)
    {
        var record = store.Find(app, version);
        if (!record.IsOk)
            return record.Problem;
        if (record.Value.LogIndex is not { } index)
            return Result<VerifiedRelease>.Fail(ErrorCodes.ReleaseNotFound, $"{app} {version} was never logged: its publish was cut short; publish it again to finish");
        var envelopeBytes = await store.ReadEnvelopeAsync(record.Value.EnvelopeDigest, cancellation);
        if (!envelopeBytes.IsOk)
            return envelopeBytes.Problem;
        if (record.Value.Logged is not { } logged)
            return Result<VerifiedRelease>.Fail(ErrorCodes.EntryTimestampInvalid, $"{app} {version} has no signed entry timestamp from the log, so nothing fixes when it was logged");
        var stamped = logged.Verify(store.Log.Verifier, envelopeBytes.Value, index);
        if (stamped is not null)
            return stamped;
        // The signer is judged before the statement is read any further.
        var verdict = StatementJudge.Judge(envelopeBytes.Value, index, logged.Time, trust);
        if (!verdict.IsOk)
            return verdict.Problem;
        if (verdict.Value.Kind != Kind || verdict.Value.Signer is not { } signer)
            return Result<VerifiedRelease>.Fail(ErrorCodes.KeyNotTrusted, $"{app} {version} (log index {index}) does not count as a release: {verdict.Value.SetAside ?? "not a release statement"}");
        var opened = ReleaseStatement.Open(envelopeBytes.Value);
        if (!opened.IsOk)
            return opened.Problem;
        var (_, statement, predicate) = opened.Value;
        if (predicate.App != app || predicate.Version != version)
            return Result<VerifiedRelease>.Fail(ErrorCodes.ReleaseMismatch, $"the record for {app} {version} points at a statement for {predicate.App} {predicate.Version}");

        var included = VerifyLogged(store, index, envelopeBytes.Value, stateFile);
        if (!included.IsOk)
            return included.Problem;
        foreach (var digest in ReleaseContents.Digests(statement, predicate))
        {
            var parsed = Sha256Digest.Parse(digest);
            var intact = parsed.IsOk ? await store.Artifacts.VerifyAsync(parsed.Value, cancellation) : parsed.Problem;
            if (intact is not null)
                return intact;
        }
        return Result<VerifiedRelease>.Ok(new VerifiedRelease(record.Value, predicate, statement.Subjects, signer.Key.KeyId, included.Value));
    }

    // Inclusion is proven in the current checkpoint, which must extend the last one this verifier saw: otherwise the
    // log has shown someone a different history.
    private static Result<Checkpoint> VerifyLogged(ReleaseStore store, long index, byte[] envelope, string stateFile)
    {
        var current = store.Log.ReadCheckpoint();
        if (!current.IsOk)
            return current.Problem;
        var now = current.Value.Checkpoint;
        var proofs = new ProofBuilder(new TileNodeSource(store.Log.Storage, now.Size));
        var inclusion = proofs.Inclusion(index, now.Size);
        if (!inclusion.IsOk)
            return inclusion.Problem;
        var included = MerkleProofs.VerifyInclusion(index, now.Size, MerkleHasher.LeafHash(envelope), inclusion.Value, now.RootHash);
        if (included is not null)
            return included;
        var extends = SeenCheckpoint.CheckExtends(stateFile, store.Log.Verifier, now, proofs);
        if (extends is not null)
            return extends;
        SeenCheckpoint.Remember(stateFile, current.Value.Note.ToBytes());
        return Result<Checkpoint>.Ok(now);
    }
}
