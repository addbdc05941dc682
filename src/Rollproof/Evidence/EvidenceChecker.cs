using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Evidence;

/// <summary>
/// Checks an evidence package against a trust file alone: the checkpoint is signed by a trusted log key; every
/// statement is in the log under it (its receipt), was logged when its timestamp says (signed by the log), and is
/// signed by a key trusted for its kind at that time; the statements form the rollback's chain (the request, the
/// releases, deployments and policy it names by digest, the approvals, reviews, executions, notifications and reports
/// bound to it, nothing else); and every document is the one its statement names by digest, with none missing or
/// extra. The first failure is returned, naming the file.
/// </summary>
public static class EvidenceChecker
{
    /// <summary>The kinds of statement that belong to a rollback's chain by naming its request.</summary>
    public static IReadOnlySet<string> BoundToRequest { get; } = new HashSet<string>([StatementKinds.Approval, StatementKinds.Review, StatementKinds.Execution, StatementKinds.Notification, StatementKinds.Report], StringComparer.Ordinal);

    public static Result<CheckedChain> Check(EvidencePackage package, TrustFile trust)
    {
        var logKeys = trust.Keys.Where(k => k.Kinds.Contains(LogPublicKeys.Kind)).Select(k => LogPublicKeys.ToNoteVerifier(k.Key, package.Origin)).ToList();
        var opened = Checkpoint.Open(package.Checkpoint, package.Origin, logKeys);
        if (!opened.IsOk)
            return Fail(EvidenceLayout.CheckpointPath, opened.Problem.Message + (logKeys.Count == 0 ? " (the trust file names no log key: kind 'checkpoint')" : ""));
        var checkpoint = opened.Value.Checkpoint;
        var logKey = logKeys.First(k => opened.Value.Note.Signatures.Any(s => s.KeyId == k.KeyId && s.Name == k.Name));

        var entries = new List<CheckedEntry>();
        foreach (var entry in package.Entries.OrderBy(e => e.Index))
        {
            var checkedEntry = CheckEntry(entry, package, checkpoint, logKey, trust);
            if (!checkedEntry.IsOk)
                return checkedEntry.Problem;
            entries.Add(checkedEntry.Value);
        }
        return CheckChain(package, checkpoint, entries);
    }

    private static Result<CheckedEntry> CheckEntry(EvidenceEntry entry, EvidencePackage package, Checkpoint checkpoint, INoteVerifier logKey, TrustFile trust)
    {
        string Path(string extension) => EvidenceLayout.EntryPath(entry.Index, entry.Kind, extension);
        if (entry.Receipt.Index != entry.Index || !entry.Receipt.SignedCheckpoint.AsSpan().SequenceEqual(package.Checkpoint))
            return Fail(Path(".tlog-proof"), "is not a receipt for this entry against the package's checkpoint");
        if (MerkleProofs.VerifyInclusion(entry.Index, checkpoint.Size, MerkleHasher.LeafHash(entry.Envelope), entry.Receipt.InclusionProof, checkpoint.RootHash) is { } excluded)
            return Fail(Path(".tlog-proof"), $"the statement is not in the log at index {entry.Index}: {excluded.Message}");
        if (entry.Timestamp.Verify(logKey, entry.Envelope, entry.Index) is { } forged)
            return Fail(Path(".timestamp.json"), forged.Message);
        var verdict = StatementJudge.Judge(entry.Envelope, entry.Index, entry.Timestamp.Time, trust);
        if (!verdict.IsOk)
            return Fail(Path(".dsse.json"), verdict.Problem.Message);
        if (verdict.Value.Kind != entry.Kind || verdict.Value.Statement is not { } statement)
            return Fail(Path(".dsse.json"), $"does not hold a {entry.Kind} statement");
        return verdict.Value.Signer is { } signer
            ? Result<CheckedEntry>.Ok(new CheckedEntry(entry, statement, signer.Key.KeyId, entry.Timestamp.Time))
            : Fail(Path(".dsse.json"), $"not counted: {verdict.Value.SetAside}");
    }

    private static Result<CheckedChain> CheckChain(EvidencePackage package, Checkpoint checkpoint, List<CheckedEntry> entries)
    {
        var byIndex = entries.ToDictionary(e => e.Entry.Index);
        if (!byIndex.TryGetValue(package.Request, out var requestEntry) || requestEntry.Entry.Kind != StatementKinds.RollbackRequest)
            return Fail(EvidenceLayout.ManifestPath, $"names request {package.Request}, which the package does not hold as a rollback request");
        var request = PredicateJson.Read<RollbackRequestPredicate>(requestEntry.Statement, StatementKinds.PredicateType(StatementKinds.RollbackRequest), "a rollback request");
        if (!request.IsOk)
            return Fail(EvidenceLayout.EntryPath(package.Request, StatementKinds.RollbackRequest, ".dsse.json"), request.Problem.Message);
        var r = request.Value;
        var requestRef = new StatementRef(requestEntry.Entry.Index, requestEntry.Digest);
        var needed = new List<(StatementRef Ref, string Kind, string What)>
        {
            (r.Current.Release, StatementKinds.Release, "the current release"), (r.Current.Deployment, StatementKinds.Deployment, "the current deployment"),
            (r.Target.Release, StatementKinds.Release, "the target release"), (r.Target.Deployment, StatementKinds.Deployment, "the target's deployment"),
            (r.Policy, StatementKinds.Policy, "the policy"),
        };
        foreach (var (reference, kind, what) in needed)
            if (!byIndex.TryGetValue(reference.LogIndex, out var found) || found.Entry.Kind != kind || found.Digest != reference.Digest)
                return Fail(EvidenceLayout.EntryPath(reference.LogIndex, kind, ".dsse.json"), $"{what} named by the request (log index {reference.LogIndex}, {reference.Digest}) is missing or is not the statement the request names");
        var chained = needed.Select(n => n.Ref.LogIndex).Append(requestEntry.Entry.Index).ToHashSet();
        var blobs = new HashSet<string>(StringComparer.Ordinal) { r.Risk.AssessmentDigest };
        if (r.TestResultsDigest is { } results)
            blobs.Add(results);
        foreach (var entry in entries.Where(e => !chained.Contains(e.Entry.Index)))
        {
            if (!BoundToRequest.Contains(entry.Entry.Kind) || BoundTo(entry) != requestRef)
                return Fail(EvidenceLayout.EntryPath(entry.Entry.Index, entry.Entry.Kind, ".dsse.json"), "is not part of this rollback's chain");
        }
        foreach (var execution in entries.Select(Execution).OfType<Runbooks.ExecutionPredicate>())
            blobs.UnionWith([execution.RunbookDigest, execution.JournalDigest]);
        foreach (var release in entries.Where(e => e.Entry.Kind == StatementKinds.Release))
            if (ReleaseStatement.Read(release.Statement) is { IsOk: true } p && p.Value.Sbom is { } sbom)
                blobs.Add(sbom.Digest);
        foreach (var digest in blobs)
            if (!package.Blobs.TryGetValue(digest, out var bytes) || Sha256Digest.Of(bytes).ToString() != digest)
                return Fail(EvidenceLayout.BlobPath(digest), "a document the statements name is missing or altered");
        if (package.Blobs.Keys.FirstOrDefault(d => !blobs.Contains(d)) is { } extra)
            return Fail(EvidenceLayout.BlobPath(extra), "no statement of the chain names this document");
        return Result<CheckedChain>.Ok(new CheckedChain(package.Origin, checkpoint, requestEntry, r, entries, package.Blobs));
    }

    private static StatementRef? BoundTo(CheckedEntry entry) => entry.Entry.Kind switch
    {
        StatementKinds.Approval => LoggedPredicate.Of<ApprovalPredicate>(entry.Statement, StatementKinds.Approval)?.Subject,
        StatementKinds.Review => LoggedPredicate.Of<ReviewPredicate>(entry.Statement, StatementKinds.Review)?.Request,
        StatementKinds.Execution => Execution(entry)?.Request,
        StatementKinds.Report => LoggedPredicate.Of<Runbooks.ReportPredicate>(entry.Statement, StatementKinds.Report)?.Request,
        StatementKinds.Notification => LoggedPredicate.Of<Runbooks.NotificationPredicate>(entry.Statement, StatementKinds.Notification)?.Request,
        _ => null,
    };

    private static Runbooks.ExecutionPredicate? Execution(CheckedEntry entry) =>
        entry.Entry.Kind == StatementKinds.Execution ? LoggedPredicate.Of<Runbooks.ExecutionPredicate>(entry.Statement, StatementKinds.Execution) : null;

    private static Problem Fail(string file, string message) => new(ErrorCodes.EvidenceInvalid, $"{file}: {message}");
}
