using System.Globalization;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Evidence;

/// <summary>
/// Checks an evidence package against a trust file alone: the checkpoint is signed by a log key of the trust file
/// valid at the package's last entry; every entry is in the log under it (its receipt) and was logged when its
/// timestamp says (signed by a log key valid then; an entry without one can only be set aside); the package holds every entry of the log from the lower of the
/// request and its policy to the checkpoint's last, so nothing about the request can be left out, plus the releases
/// and deployments the request names (a side an earlier rollback put in place: that rollback's completed execution,
/// its request and policy, checked by the live rule, <see cref="EvidenceSides"/>); each entry is sorted into the rollback's chain (the request, what it names, and
/// the approvals, reviews, executions, runbook amendments (and their approvals), notifications and reports bound to it, signed by keys trusted for their kind
/// when logged) or set aside with the reason; every document is the one its statement names by digest, with none
/// missing or extra; and the policy, evaluated again with the risk computed again from the package
/// (<see cref="EvidenceRisk"/>), allowed every execution (<see cref="EvidencePolicy"/>). The first failure is
/// returned, naming the file.
/// </summary>
public static class EvidenceChecker
{
    /// <summary>The kinds of statement that belong to a rollback's chain by naming its request.</summary>
    public static IReadOnlySet<string> BoundToRequest { get; } = new HashSet<string>([StatementKinds.Approval, StatementKinds.Review, StatementKinds.Execution, StatementKinds.Notification, StatementKinds.Report, StatementKinds.RollbackAmendment], StringComparer.Ordinal);

    // An entry whose receipt and timestamp (if any) verified: Counted when signed by a key trusted for its kind, else why not.
    private sealed record InLog(EvidenceEntry Entry, CheckedEntry? Counted, string? NotCounted);

    public static Result<CheckedChain> Check(EvidencePackage package, TrustFile trust)
    {
        var chain = CheckStatements(package, trust);
        if (!chain.IsOk)
            return chain;
        if (EvidenceAmendments.FirstBroken(chain.Value) is var (amendment, why))
            return Fail(amendment, why);
        var documents = DocumentsNamed(chain.Value);
        foreach (var digest in documents)
            if (!package.Blobs.TryGetValue(digest, out var bytes) || Sha256Digest.Of(bytes).ToString() != digest)
                return Fail(EvidenceLayout.BlobPath(digest), "a document the statements name is missing or altered");
        // Down scripts are there if the store had them: their absence is a finding of the risk computed again.
        var downScripts = EvidenceRisk.DownScripts(chain.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var (digest, bytes) in package.Blobs.Where(b => !documents.Contains(b.Key)))
            if (!downScripts.Contains(digest))
                return Fail(EvidenceLayout.BlobPath(digest), "no statement of the chain names this document");
            else if (Sha256Digest.Of(bytes).ToString() != digest)
                return Fail(EvidenceLayout.BlobPath(digest), "a down script the current release names is altered");
        var decisions = EvidencePolicy.Judge(chain.Value, trust);
        if (!decisions.IsOk)
            return decisions.Problem;
        var amendments = EvidenceAmendments.Judge(chain.Value, trust);
        return amendments.IsOk ? Result<CheckedChain>.Ok(chain.Value with { Decisions = decisions.Value, AmendmentDecisions = amendments.Value }) : amendments.Problem;
    }

    /// <summary>The checks on the statements alone (no policy, no documents): what an exporter needs to know which documents to add.</summary>
    public static Result<CheckedChain> CheckStatements(EvidencePackage package, TrustFile trust)
    {
        if (package.Entries.Count == 0)
            return Fail(EvidenceLayout.ManifestPath, "the package holds no statement");
        var logKeys = new EvidenceLogKeys(trust, package.Origin);
        if (package.Entries.Select(e => e.Timestamp?.Time).Max() is not { } last)
            return Fail(EvidenceLayout.ManifestPath, "no entry of the package has a signed entry timestamp");
        var opened = Checkpoint.Open(package.Checkpoint, package.Origin, logKeys.ValidAt(last));
        if (!opened.IsOk)
            return Fail(EvidenceLayout.CheckpointPath, opened.Problem.Message + logKeys.Absent(last));
        var checkpoint = opened.Value.Checkpoint;

        var byIndex = new SortedDictionary<long, InLog>();
        foreach (var entry in package.Entries)
        {
            var inLog = CheckEntry(entry, package, checkpoint, logKeys, trust);
            if (!inLog.IsOk)
                return inLog.Problem;
            if (!byIndex.TryAdd(entry.Index, inLog.Value))
                return Fail(EvidenceLayout.EntryPath(entry.Index, entry.Kind, ".dsse.json"), $"log entry {entry.Index} appears twice");
        }
        return Sort(package, checkpoint, byIndex);
    }

    /// <summary>
    /// The digests of every document the chain's statements name and a package must hold: the risk assessment, the
    /// vulnerability feed the request recorded, test results, SBOMs, runbooks and journals.
    /// </summary>
    public static IReadOnlySet<string> DocumentsNamed(CheckedChain chain)
    {
        var documents = new HashSet<string>(StringComparer.Ordinal) { chain.Predicate.Risk.AssessmentDigest };
        if (chain.Predicate.TestResultsDigest is { } results)
            documents.Add(results);
        if (chain.Predicate.VulnerabilityFeedDigest is { } feed)
            documents.Add(feed);
        foreach (var execution in chain.Entries.Select(Execution).OfType<Runbooks.ExecutionPredicate>())
            documents.UnionWith([execution.RunbookDigest, execution.JournalDigest]);
        foreach (var release in chain.Entries.Where(e => e.Entry.Kind == StatementKinds.Release))
            if (ReleaseStatement.Read(release.Statement) is { IsOk: true } p && p.Value.Sbom is { } sbom)
                documents.Add(sbom.Digest);
        return documents;
    }

    private static Result<InLog> CheckEntry(EvidenceEntry entry, EvidencePackage package, Checkpoint checkpoint, EvidenceLogKeys logKeys, TrustFile trust)
    {
        string Path(string extension) => EvidenceLayout.EntryPath(entry.Index, entry.Kind, extension);
        if (entry.Receipt.Index != entry.Index || !entry.Receipt.SignedCheckpoint.AsSpan().SequenceEqual(package.Checkpoint))
            return Fail(Path(".tlog-proof"), "is not a receipt for this entry against the package's checkpoint");
        if (MerkleProofs.VerifyInclusion(entry.Index, checkpoint.Size, MerkleHasher.LeafHash(entry.Envelope), entry.Receipt.InclusionProof, checkpoint.RootHash) is { } excluded)
            return Fail(Path(".tlog-proof"), $"the statement is not in the log at index {entry.Index}: {excluded.Message}");
        if (entry.Timestamp is { } timestamp && logKeys.WhyNotTimestamped(entry, timestamp) is { } forged)
            return Fail(Path(".timestamp.json"), forged);
        var kind = EvidenceLayout.KindOf(entry.Envelope);
        if (kind != entry.Kind)
            return Fail(Path(".dsse.json"), $"holds {Article.For(kind)} statement, not {Article.For(entry.Kind)}");
        // Judged with no time when the entry has no timestamp: set aside if no trusted key signed it, else a failure
        // (the one trust path's fail closed), so a package without a timestamp the log had cannot change a decision.
        var verdict = StatementJudge.Judge(entry.Envelope, entry.Index, entry.Timestamp?.Time, trust);
        if (!verdict.IsOk)
            return Fail(Path(entry.Timestamp is null ? ".timestamp.json" : ".dsse.json"), verdict.Problem.Message);
        if (verdict.Value.Statement is not { } statement || verdict.Value.Kind is null)
            return Result<InLog>.Ok(new InLog(entry, null, "not a Rollproof statement"));
        return Result<InLog>.Ok(verdict.Value is { Signer: { } signer, LoggedAt: { } loggedAt }
            ? new InLog(entry, new CheckedEntry(entry, statement, signer.Key.KeyId, signer.Name, loggedAt), null)
            : new InLog(entry, null, verdict.Value.SetAside));
    }

    // The request, the statements it names, then every entry of the range: in the chain if bound to the request by a
    // trusted key, set aside otherwise. Only an entry whose kind binds it to a request but whose predicate does not
    // read stops the check: whether it concerns the request cannot be told.
    private static Result<CheckedChain> Sort(EvidencePackage package, Checkpoint checkpoint, SortedDictionary<long, InLog> byIndex)
    {
        if (!byIndex.TryGetValue(package.Request, out var requestInLog) || requestInLog.Counted is not { } requestEntry || requestInLog.Entry.Kind != StatementKinds.RollbackRequest)
            return Fail(EvidenceLayout.ManifestPath, $"names request {package.Request}, which the package does not hold as a rollback request signed by a trusted key{(requestInLog?.NotCounted is { } why ? $" ({why})" : "")}");
        var request = PredicateJson.Read<RollbackRequestPredicate>(requestEntry.Statement, StatementKinds.PredicateType(StatementKinds.RollbackRequest), "a rollback request");
        if (!request.IsOk)
            return Fail(EvidenceLayout.EntryPath(package.Request, StatementKinds.RollbackRequest, ".dsse.json"), request.Problem.Message);
        var r = request.Value;
        var requestRef = new StatementRef(package.Request, requestEntry.Digest);
        var first = Math.Min(r.Policy.LogIndex, package.Request);
        for (var index = first; index < checkpoint.Size; index++)
            if (!byIndex.ContainsKey(index))
                return Fail($"entries/{index.ToString("D8", CultureInfo.InvariantCulture)}-*", $"log entry {index} is missing: a package holds every entry from {first} (the lower of the request and its policy) to {checkpoint.Size - 1} (the checkpoint's last), so none about the request can be left out");

        var named = new List<(StatementRef Ref, string Kind, string What)>
        {
            (r.Current.Release, StatementKinds.Release, "the current release"), (r.Target.Release, StatementKinds.Release, "the target release"), (r.Policy, StatementKinds.Policy, "the policy"),
        };
        foreach (var (reference, kind, what) in named)
            if (!byIndex.TryGetValue(reference.LogIndex, out var found) || found.Counted is not { } counted || found.Entry.Kind != kind || counted.Digest != reference.Digest)
                return Fail(EvidenceLayout.EntryPath(reference.LogIndex, kind, ".dsse.json"), $"{what} named by the request (log index {reference.LogIndex}, {reference.Digest}) is missing, not signed by a trusted key, or is not the statement the request names");
        if (WhyNotThisRollback(r, byIndex) is { } mismatch)
            return Fail(EvidenceLayout.EntryPath(package.Request, StatementKinds.RollbackRequest, ".dsse.json"), mismatch);
        var chained = named.Select(n => n.Ref.LogIndex).Append(package.Request).ToHashSet();
        // A side put in place by a deployment is part of the chain; one put in place by an earlier rollback is shown
        // by that rollback's execution, request and policy, which are not this request's (Placed).
        var placedBy = new HashSet<long>();
        foreach (var (side, what) in new[] { (r.Current, "current"), (r.Target, "target") })
        {
            var shownBy = new HashSet<long>();
            if (EvidenceSides.WhyNot(r, side, what, index => byIndex.GetValueOrDefault(index)?.Counted, shownBy) is var (file, why))
                return Fail(file, why);
            if (shownBy.Count == 0)
                chained.Add(side.Deployment.LogIndex);
            placedBy.UnionWith(shownBy);
        }
        placedBy.ExceptWith(chained);

        var entries = new List<CheckedEntry>();
        var placed = new List<CheckedEntry>();
        var setAside = new List<SetAsideEntry>();
        // An approval of one of the request's runbook amendments (named by index and digest) belongs to the chain too.
        var amendments = new HashSet<StatementRef>();
        foreach (var (index, inLog) in byIndex)
        {
            var path = EvidenceLayout.EntryPath(index, inLog.Entry.Kind, ".dsse.json");
            if (chained.Contains(index))
                entries.Add(inLog.Counted!);
            else if (placedBy.Contains(index))
                placed.Add(inLog.Counted!);
            else if (index < first)
                return Fail(path, $"is before the package's range (from log index {first}) and is not a statement the request names");
            else if (inLog.Counted is not { } counted)
                setAside.Add(new SetAsideEntry(index, inLog.Entry.Kind, inLog.Entry.Timestamp?.Time, "not counted: " + inLog.NotCounted));
            else if (!BoundToRequest.Contains(counted.Entry.Kind))
                setAside.Add(new SetAsideEntry(index, counted.Entry.Kind, counted.LoggedAt, "not about this request"));
            else if (BoundTo(counted) is not { } bound)
                return Fail(path, $"{Article.For(counted.Entry.Kind)} statement by a trusted key whose predicate does not read: whether it concerns the request cannot be told");
            else if (bound != requestRef && !(counted.Entry.Kind == StatementKinds.Approval && amendments.Contains(bound)))
                setAside.Add(new SetAsideEntry(index, counted.Entry.Kind, counted.LoggedAt, "not about this request"));
            else
            {
                entries.Add(counted);
                if (counted.Entry.Kind == StatementKinds.RollbackAmendment)
                    amendments.Add(new StatementRef(index, counted.Digest));
            }
        }
        return Result<CheckedChain>.Ok(new CheckedChain(package.Origin, checkpoint, first, requestEntry, r, entries, setAside, [], package.Blobs) { Placed = placed });
    }

    // The policy a request names must be its environment's; otherwise a request could borrow another's.
    private static string? WhyNotThisRollback(RollbackRequestPredicate r, SortedDictionary<long, InLog> byIndex)
    {
        var policy = LoggedPredicate.Of<PolicyPredicate>(byIndex[r.Policy.LogIndex].Counted!.Statement, StatementKinds.Policy);
        return policy?.Environment != r.Environment ? $"it names the policy at log index {r.Policy.LogIndex}, which is for {policy?.Environment ?? "no environment"}, not {r.Environment}" : null;
    }

    private static StatementRef? BoundTo(CheckedEntry entry) => entry.Entry.Kind switch
    {
        StatementKinds.Approval => LoggedPredicate.Of<ApprovalPredicate>(entry.Statement, StatementKinds.Approval)?.Subject,
        StatementKinds.Review => LoggedPredicate.Of<ReviewPredicate>(entry.Statement, StatementKinds.Review)?.Request,
        StatementKinds.Execution => Execution(entry)?.Request,
        StatementKinds.Report => LoggedPredicate.Of<Runbooks.ReportPredicate>(entry.Statement, StatementKinds.Report)?.Request,
        StatementKinds.Notification => LoggedPredicate.Of<Runbooks.NotificationPredicate>(entry.Statement, StatementKinds.Notification)?.Request,
        StatementKinds.RollbackAmendment => LoggedPredicate.Of<Runbooks.AmendmentPredicate>(entry.Statement, StatementKinds.RollbackAmendment)?.Request,
        _ => null,
    };

    private static Runbooks.ExecutionPredicate? Execution(CheckedEntry entry) =>
        entry.Entry.Kind == StatementKinds.Execution ? LoggedPredicate.Of<Runbooks.ExecutionPredicate>(entry.Statement, StatementKinds.Execution) : null;

    /// <summary>A package found invalid, naming the file.</summary>
    internal static Problem Fail(string file, string message) => new(ErrorCodes.EvidenceInvalid, $"{file}: {message}");
}
