using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Releases;

/// <summary>
/// A release whose signature, trust, log inclusion and artifacts all checked out. <see cref="Artifacts"/> are its
/// files; its container images (also subjects) are in <see cref="Images"/>.
/// </summary>
public sealed record VerifiedRelease(ReleaseRecord Record, ReleasePredicate Predicate, IReadOnlyList<Subject> Artifacts, string SignedBy, Checkpoint Checkpoint)
{
    public IReadOnlyList<ContainerImage> Images => Predicate.Images ?? [];
}

/// <summary>
/// Verifies a published release end to end: the log's signed entry timestamp for the envelope, which fixes when it was
/// logged; the envelope's signature by a key the trust file allows to sign releases at that time; the envelope's
/// inclusion in the log under a checkpoint consistent with the last one this verifier saw; and every artifact's digest
/// in the store. The first failure is returned. Timestamps and checkpoints are checked with the log key the verifier
/// holds (<see cref="LogAnchor"/>), never with the one the store records.
/// </summary>
public static class ReleaseVerifier
{
    public const string Kind = KnownKinds.Release;

    /// <summary>Verifies with the log key <paramref name="trust"/> names for the store's origin.</summary>
    public static async Task<Result<VerifiedRelease>> VerifyAsync(ReleaseStore store, string app, string version, TrustFile trust, string stateFile, CancellationToken cancellation = default)
    {
        var anchor = LogAnchor.FromTrust(trust, store.Log.Config.Origin);
        return anchor.IsOk ? await VerifyAsync(store, app, version, trust, anchor.Value, stateFile, cancellation) : anchor.Problem;
    }

    /// <param name="anchor">The log key the verifier holds, to check the entry's timestamp and the checkpoints with.</param>
    public static async Task<Result<VerifiedRelease>> VerifyAsync(ReleaseStore store, string app, string version, TrustFile trust, LogAnchor anchor, string stateFile, CancellationToken cancellation = default)
    {
        // The log's head comes first: a log signed by another key than the anchor is not read any further.
        var head = anchor.ReadCheckpoint(store.Log);
        if (!head.IsOk)
            return head.Problem;
        var record = store.Find(app, version);
        if (!record.IsOk)
            return record.Problem;
        if (record.Value.LogIndex is not { } index)
            return Result<VerifiedRelease>.Fail(ErrorCodes.ReleaseNotFound, $"{app} {version} was never logged: its publish was cut short; publish it again to finish");
        var envelopeBytes = await store.ReadEnvelopeAsync(record.Value.EnvelopeDigest, cancellation);
        if (!envelopeBytes.IsOk)
            return envelopeBytes.Problem;
        return await VerifyEnvelopeAsync(store, anchor, head.Value, record.Value, index, envelopeBytes.Value, trust, stateFile, cancellation);
    }

    /// <summary>
    /// Verifies the release a later statement names by <paramref name="release"/> (a rollback's target, say) as above,
    /// but reads it from the log, not by the store's record: the entry at that index must hash to the reference's
    /// digest, carry the log's signed timestamp and be a release of <paramref name="app"/> at <paramref name="version"/>.
    /// </summary>
    public static async Task<Result<VerifiedRelease>> VerifyLoggedAsync(ReleaseStore store, StatementRef release, string app, string version, TrustFile trust, string stateFile, CancellationToken cancellation = default)
    {
        var anchor = LogAnchor.FromTrust(trust, store.Log.Config.Origin);
        if (!anchor.IsOk)
            return anchor.Problem;
        var checkpoint = anchor.Value.ReadCheckpoint(store.Log);
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var entry = LogEntries.Read(store.Log.Storage, release.LogIndex, checkpoint.Value.Checkpoint.Size);
        if (!entry.IsOk)
            return entry.Problem with { Message = $"{app} {version} at log index {release.LogIndex}: {entry.Problem.Message}" };
        var digest = Sha256Digest.Of(entry.Value).ToString();
        if (digest != release.Digest)
            return Result<VerifiedRelease>.Fail(ErrorCodes.ReleaseMismatch, $"log entry {release.LogIndex} hashes to {digest}, not {release.Digest}, the release of {app} {version} it is meant to be");
        var logged = store.Log.Timestamps.Read(release.LogIndex);
        if (!logged.IsOk)
            return logged.Problem;
        // The record a verified release carries is rebuilt from the log, so nothing in it comes from releases/.
        var record = new ReleaseRecord(app, version, release.Digest, release.LogIndex, logged.Value?.Time ?? default, logged.Value);
        return await VerifyEnvelopeAsync(store, anchor.Value, checkpoint.Value, record, release.LogIndex, entry.Value, trust, stateFile, cancellation);
    }

    private static async Task<Result<VerifiedRelease>> VerifyEnvelopeAsync(ReleaseStore store, LogAnchor anchor, VerifiedCheckpoint head, ReleaseRecord record, long index, byte[] envelopeBytes, TrustFile trust, string stateFile, CancellationToken cancellation)
    {
        var (app, version) = (record.App, record.Version);
        if (record.Logged is not { } logged)
            return Result<VerifiedRelease>.Fail(ErrorCodes.EntryTimestampInvalid, $"{app} {version} has no signed entry timestamp from the log, so nothing fixes when it was logged");
        var stamped = logged.Verify(anchor.Key, envelopeBytes, index);
        if (stamped is not null)
            return stamped;
        // The signer is judged before the statement is read any further.
        var verdict = StatementJudge.Judge(envelopeBytes, index, logged.Time, trust);
        if (!verdict.IsOk)
            return verdict.Problem;
        if (verdict.Value.Kind != Kind || verdict.Value.Signer is not { } signer)
            return Result<VerifiedRelease>.Fail(ErrorCodes.KeyNotTrusted, $"{app} {version} (log index {index}) does not count as a release: {verdict.Value.SetAside ?? "not a release statement"}");
        var opened = ReleaseStatement.Open(envelopeBytes);
        if (!opened.IsOk)
            return opened.Problem;
        var (_, statement, predicate) = opened.Value;
        if (predicate.App != app || predicate.Version != version)
            return Result<VerifiedRelease>.Fail(ErrorCodes.ReleaseMismatch, $"{app} {version} is looked for at log index {index}, which holds a statement for {predicate.App} {predicate.Version}");
        if (ReleaseImages.Check(statement, predicate) is { } images)
            return images;

        var included = VerifyLogged(store, anchor, head, index, envelopeBytes, stateFile);
        if (!included.IsOk)
            return included.Problem;
        foreach (var digest in ReleaseContents.Digests(statement, predicate))
        {
            var parsed = Sha256Digest.Parse(digest);
            var intact = parsed.IsOk ? await store.Artifacts.VerifyAsync(parsed.Value, cancellation) : parsed.Problem;
            if (intact is not null)
                return intact;
        }
        if (await ReleaseCosignBundles.VerifyAsync(statement, predicate, store.Artifacts, DateTimeOffset.UtcNow, cancellation) is { } bundles)
            return bundles;
        return Result<VerifiedRelease>.Ok(new VerifiedRelease(record, predicate, ReleaseImages.Files(statement, predicate), signer.Key.KeyId, included.Value));
    }

    // Inclusion is proven in the current checkpoint, which must extend the last one this verifier saw under its anchor:
    // otherwise the log has shown someone a different history.
    private static Result<Checkpoint> VerifyLogged(ReleaseStore store, LogAnchor anchor, VerifiedCheckpoint head, long index, byte[] envelope, string stateFile)
    {
        var now = head.Checkpoint;
        var proofs = new ProofBuilder(new TileNodeSource(store.Log.Storage, now.Size));
        // A rewound or forked log is named as such before anything is looked for in it.
        var extends = SeenCheckpoint.CheckExtends(stateFile, anchor.Key, now, proofs);
        if (extends is not null)
            return extends;
        var inclusion = proofs.Inclusion(index, now.Size);
        if (!inclusion.IsOk)
            return inclusion.Problem;
        var included = MerkleProofs.VerifyInclusion(index, now.Size, MerkleHasher.LeafHash(envelope), inclusion.Value, now.RootHash);
        if (included is not null)
            return included;
        SeenCheckpoint.Remember(stateFile, head.Note.ToBytes());
        return Result<Checkpoint>.Ok(now);
    }
}
