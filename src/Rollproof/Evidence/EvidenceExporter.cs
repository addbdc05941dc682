using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Evidence;

/// <summary>
/// Gathers a rollback's evidence from the log into a package: every entry from the lower of the request and its policy
/// to the current checkpoint's last, and the releases and deployments the request names (or the earlier rollback that
/// put a side in place: its execution, request and policy), each with a receipt against
/// that checkpoint and its log timestamp (if the log has one), and the documents the chain names, with the current
/// release's down scripts the store has (so a verifier can compute the risk again). The log, not the index, says what
/// is there. The package is checked as a verifier would before it is handed out, so an export that would not verify
/// (one whose execution the policy did not allow, for one) is never written.
/// </summary>
public static class EvidenceExporter
{
    public static async Task<Result<(EvidencePackage Package, CheckedChain Chain)>> ExportAsync(ReleaseStore store, long requestIndex, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var package = await GatherAsync(store, requestIndex, cancellation);
        if (!package.IsOk)
            return package.Problem;
        var chain = EvidenceChecker.Check(package.Value, trust.Value);
        return chain.IsOk ? Result<(EvidencePackage, CheckedChain)>.Ok((package.Value, chain.Value)) : chain.Problem;
    }

    /// <summary>The package as the log holds it, not yet judged by the policy: what a verifier will be given.</summary>
    public static async Task<Result<EvidencePackage>> GatherAsync(ReleaseStore store, long requestIndex, CancellationToken cancellation = default)
    {
        var trusted = store.ReadTrustAtCheckpoint();
        if (!trusted.IsOk)
            return trusted.Problem;
        var (trust, checkpoint, _) = trusted.Value;
        var size = checkpoint.Checkpoint.Size;
        var view = LedgerView.Open(store);
        var request = view.IsOk ? view.Value.Read<RollbackRequestPredicate>(requestIndex, StatementKinds.RollbackRequest) : view.Problem;
        if (!request.IsOk)
            return request.Problem;
        var r = request.Value.Predicate;
        var first = Math.Min(r.Policy.LogIndex, requestIndex);
        var indexes = new SortedSet<long> { r.Current.Release.LogIndex, r.Target.Release.LogIndex };
        indexes.UnionWith(PlacedBy(view.Value, r.Current).Concat(PlacedBy(view.Value, r.Target)));
        for (var index = first; index < size; index++)
            indexes.Add(index);
        // Three files an entry: a package over the reader's limit would be written, then never verify.
        if (indexes.Count * 3 > ZipFiles.MaxFiles)
            return Result<EvidencePackage>.Fail(ErrorCodes.EvidenceInvalid, $"the log holds {indexes.Count} entries from {first} (the lower of request {requestIndex} and its policy) to {size - 1}: more than a package can hold ({ZipFiles.MaxFiles} files)");

        var proofs = new ProofBuilder(new TileNodeSource(store.Log.Storage, size));
        var signedCheckpoint = checkpoint.Note.ToBytes();
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
            // An entry without a timestamp goes in without one: the checker below fails the export if a trusted key signed it.
            entries.Add(new EvidenceEntry(index, EvidenceLayout.KindOf(envelope.Value), envelope.Value, new TlogProof(index, proof.Value, signedCheckpoint), timestamp.Value));
        }

        var package = new EvidencePackage(store.Log.Config.Origin, signedCheckpoint, requestIndex, entries, new Dictionary<string, byte[]>());
        var statements = EvidenceChecker.CheckStatements(package, trust);
        if (!statements.IsOk)
            return statements.Problem;
        var blobs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        // A down script the store no longer has stays out: the verifier's risk, like the live one, finds it missing.
        var downScripts = new List<string>();
        foreach (var digest in EvidenceRisk.DownScripts(statements.Value))
            if (Sha256Digest.Parse(digest) is { IsOk: true } parsed && await store.Artifacts.ExistsAsync(parsed.Value, cancellation))
                downScripts.Add(digest);
        foreach (var digest in EvidenceChecker.DocumentsNamed(statements.Value).Concat(downScripts))
        {
            var parsed = Sha256Digest.Parse(digest);
            var bytes = parsed.IsOk ? await store.Artifacts.ReadAllAsync(parsed.Value, ZipFiles.MaxFileSize, cancellation) : parsed.Problem;
            if (!bytes.IsOk)
                return bytes.Problem;
            blobs[digest] = bytes.Value;
        }
        return Result<EvidencePackage>.Ok(package with { Blobs = blobs });
    }

    // The entry that put a side in place and, for an earlier rollback's execution, the request it completed and that
    // request's policy: what a verifier needs to apply the live rule. The checker judges what is gathered.
    private static IEnumerable<long> PlacedBy(LedgerView view, RollbackSide side)
    {
        yield return side.Deployment.LogIndex;
        if (view.Read<Runbooks.ExecutionPredicate>(side.Deployment, StatementKinds.Execution) is { IsOk: true } execution
            && view.Read<RollbackRequestPredicate>(execution.Value.Predicate.Request, StatementKinds.RollbackRequest) is { IsOk: true } request)
        {
            yield return request.Value.Entry.Index;
            yield return request.Value.Predicate.Policy.LogIndex;
        }
    }
}
