using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Releases.Sbom;
using Rollproof.Rollbacks;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Evidence;

/// <summary>
/// Gathers a rollback's chain from a store into a package: the request, the releases, deployments and policy it names,
/// the approvals, reviews, executions, notifications and reports bound to it, each with a receipt against one
/// checkpoint and its log timestamp, and the documents they name. The package is checked as a verifier would before
/// it is written, so an export that would not verify is never handed out.
/// </summary>
public static class EvidenceExporter
{
    public static async Task<Result<(EvidencePackage Package, CheckedChain Chain)>> ExportAsync(ReleaseStore store, long requestIndex, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var opened = new StatementLedger(store).OpenIndex();
        if (!opened.IsOk)
            return opened.Problem;
        var checkpoint = store.Log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        var size = checkpoint.Value.Checkpoint.Size;
        var request = LoggedPredicate.Read<RollbackRequestPredicate>(store.Log, trust.Value, requestIndex, size, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem;
        var r = request.Value.Predicate;
        var indexes = new SortedSet<long> { requestIndex, r.Current.Release.LogIndex, r.Current.Deployment.LogIndex, r.Target.Release.LogIndex, r.Target.Deployment.LogIndex, r.Policy.LogIndex };
        using (opened.Value)
            foreach (var kind in EvidenceChecker.BoundToRequest)
                indexes.UnionWith(opened.Value.Referring(requestIndex, kind));

        var proofs = new ProofBuilder(new TileNodeSource(store.Log.Storage, size));
        var signedCheckpoint = checkpoint.Value.Note.ToBytes();
        var entries = new List<EvidenceEntry>();
        foreach (var index in indexes)
        {
            var envelope = LogEntries.Read(store.Log.Storage, index, size);
            if (!envelope.IsOk)
                return envelope.Problem;
            var proof = proofs.Inclusion(index, size);
            if (!proof.IsOk)
                return proof.Problem;
            var timestamp = store.Log.Timestamps.Read(index);
            if (!timestamp.IsOk)
                return timestamp.Problem;
            if (timestamp.Value is not { } stamp)
                return Result<(EvidencePackage, CheckedChain)>.Fail(ErrorCodes.EntryTimestampInvalid, $"log entry {index} has no signed entry timestamp");
            entries.Add(new EvidenceEntry(index, KindOf(envelope.Value), envelope.Value, new TlogProof(index, proof.Value, signedCheckpoint), stamp));
        }

        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var wanted = new List<(string Digest, long Limit)> { (r.Risk.AssessmentDigest, ZipFiles.MaxFileSize) };
        if (r.TestResultsDigest is { } results)
            wanted.Add((results, ZipFiles.MaxFileSize));
        foreach (var entry in entries.Where(e => e.Kind == StatementKinds.Execution))
        {
            var execution = LoggedPredicate.Read<Runbooks.ExecutionPredicate>(store.Log, trust.Value, entry.Index, size, StatementKinds.Execution);
            if (!execution.IsOk)
                return execution.Problem;
            wanted.Add((execution.Value.Predicate.RunbookDigest, ZipFiles.MaxFileSize));
            wanted.Add((execution.Value.Predicate.JournalDigest, ZipFiles.MaxFileSize));
        }
        foreach (var side in new[] { r.Current, r.Target })
        {
            var release = LoggedPredicate.Read<ReleasePredicate>(store.Log, trust.Value, side.Release.LogIndex, size, StatementKinds.Release);
            if (!release.IsOk)
                return release.Problem;
            if (release.Value.Predicate.Sbom is { } sbom)
                wanted.Add((sbom.Digest, CycloneDxValidator.MaxSize));
        }
        foreach (var (digest, limit) in wanted.DistinctBy(w => w.Digest))
        {
            var parsed = Sha256Digest.Parse(digest);
            var bytes = parsed.IsOk ? await store.Artifacts.ReadAllAsync(parsed.Value, limit, cancellation) : parsed.Problem;
            if (!bytes.IsOk)
                return bytes.Problem;
            blobs[digest] = bytes.Value;
        }

        var package = new EvidencePackage(store.Log.Config.Origin, signedCheckpoint, requestIndex, entries, blobs);
        var chain = EvidenceChecker.Check(package, trust.Value);
        return chain.IsOk ? Result<(EvidencePackage, CheckedChain)>.Ok((package, chain.Value)) : chain.Problem;
    }

    // Only the kind is needed here: the check that follows verifies signatures, timestamps and receipts.
    private static string KindOf(byte[] envelope)
    {
        var parsed = Formats.DsseEnvelope.Parse(envelope);
        var statement = parsed.IsOk ? Formats.InTotoStatement.FromEnvelope(parsed.Value) : parsed.Problem;
        return statement.IsOk ? StatementKinds.KindOf(statement.Value.PredicateType) ?? LedgerEntry.OtherKind : LedgerEntry.OtherKind;
    }
}
