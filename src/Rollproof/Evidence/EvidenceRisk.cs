using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Risk;
using Rollproof.Signing;

namespace Rollproof.Evidence;

/// <summary>
/// The request's risk computed again from the package alone, as live decisions compute it from the store: the two
/// releases as their packaged statements say, their SBOMs, the feed the request recorded and the current release's
/// down scripts, all from the package's documents; and the target's integrity from its release statement, whose
/// signature the checker verified (its files are not in a package), with its key's status from the trust file at the
/// time judged. The request's own account of its risk is compared with this, never believed.
/// </summary>
internal sealed class EvidenceRisk(ReleaseSide current, ReleaseSide target, VulnerabilityFeed feed, string targetSigner, IReadOnlyDictionary<string, byte[]> blobs)
{
    /// <summary>Reads the inputs from a chain whose documents verified.</summary>
    public static Result<EvidenceRisk> Read(CheckedChain chain)
    {
        var r = chain.Predicate;
        var byIndex = chain.Entries.ToDictionary(e => e.Entry.Index);
        var current = Side(byIndex[r.Current.Release.LogIndex], r.Current.Version, chain.Blobs);
        if (!current.IsOk)
            return current.Problem;
        var target = Side(byIndex[r.Target.Release.LogIndex], r.Target.Version, chain.Blobs);
        if (!target.IsOk)
            return target.Problem;
        var feed = Feed(r, chain.Blobs);
        if (!feed.IsOk)
            return feed.Problem;
        return Result<EvidenceRisk>.Ok(new EvidenceRisk(current.Value, target.Value, feed.Value, byIndex[r.Target.Release.LogIndex].SignedBy, chain.Blobs));
    }

    /// <summary>The digests of the current release's down scripts: a package holds those the store had, so whether one is missing is answered from it.</summary>
    public static IEnumerable<string> DownScripts(CheckedChain chain) =>
        chain.Entries.Where(e => e.Entry.Index == chain.Predicate.Current.Release.LogIndex)
            .Select(e => ReleaseStatement.Read(e.Statement)).Where(p => p.IsOk).SelectMany(p => p.Value.Migrations).Select(m => m.DownDigest).OfType<string>();

    /// <summary>The assessment as of <paramref name="time"/>: the target's key judged by the trust file then, certificates by whether they expired by then.</summary>
    public RiskAssessment At(TrustFile trust, DateTimeOffset time) =>
        RiskAnalyzer.Analyze(new RiskInputs(current, target, feed, new TargetIntegrity(null, SignerKeyStatus.Of(trust, targetSigner, time), trust.NameOf(targetSigner)), blobs.ContainsKey, time));

    private static Result<ReleaseSide> Side(CheckedEntry release, string version, IReadOnlyDictionary<string, byte[]> blobs)
    {
        var path = EvidenceLayout.EntryPath(release.Entry.Index, StatementKinds.Release, ".dsse.json");
        var predicate = ReleaseStatement.Read(release.Statement);
        if (!predicate.IsOk)
            return EvidenceChecker.Fail(path, predicate.Problem.Message);
        if (predicate.Value.Version != version)
            return EvidenceChecker.Fail(path, $"releases version {predicate.Value.Version}, not {version} as the request says");
        var side = ReleaseSide.Of(predicate.Value, predicate.Value.Sbom is { } sbom ? blobs[sbom.Digest] : null, release.Entry.Index);
        return side.IsOk ? side : EvidenceChecker.Fail(path, side.Problem.Message);
    }

    private static Result<VulnerabilityFeed> Feed(RollbackRequestPredicate request, IReadOnlyDictionary<string, byte[]> blobs)
    {
        if (request.VulnerabilityFeedDigest is not { } digest)
            return Result<VulnerabilityFeed>.Ok(VulnerabilityFeed.Empty);
        var feed = VulnerabilityFeed.FromBlob(blobs[digest], digest);
        return feed.IsOk ? feed : EvidenceChecker.Fail(EvidenceLayout.BlobPath(digest), $"the vulnerability feed the request recorded: {feed.Problem.Message}");
    }
}
