using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Releases.Sbom;
using Rollproof.Rollbacks.Risk;
using Rollproof.Storage;

namespace Rollproof.Rollbacks;

/// <summary>
/// The risk of a rollback, computed from what is signed and stored, never from what a request says of itself: the
/// two releases read from the log where the request names them, their SBOMs and down scripts by digest, the
/// vulnerability feed the request recorded by digest, and the target verified as of now. A request whose stated
/// risk differs from the analysis is refused as inconsistent.
/// </summary>
public static class RequestRisk
{
    public static async Task<Result<RiskAssessment>> AssessAsync(LedgerView view, string app, RollbackSide current, RollbackSide target, VulnerabilityFeed feed, string stateFile, DateTimeOffset at, CancellationToken cancellation)
    {
        var currentSide = await SideAsync(view, current, cancellation);
        if (!currentSide.IsOk)
            return currentSide.Problem;
        var targetSide = await SideAsync(view, target, cancellation);
        if (!targetSide.IsOk)
            return targetSide.Problem;
        var store = view.Store;
        var verified = await ReleaseVerifier.VerifyLoggedAsync(store, target.Release, app, target.Version, view.Trust, stateFile, cancellation);
        var integrity = verified.IsOk
            ? new TargetIntegrity(null, SignerKeyStatus.Of(view.Trust, verified.Value.SignedBy, at), view.Trust.NameOf(verified.Value.SignedBy))
            : new TargetIntegrity(verified.Problem, KeyStatus.Valid, null);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var down in currentSide.Value.Predicate.Migrations.Select(m => m.DownDigest).OfType<string>())
            if (Sha256Digest.Parse(down) is { IsOk: true } digest && await store.Artifacts.ExistsAsync(digest.Value, cancellation))
                stored.Add(down);
        return Result<RiskAssessment>.Ok(RiskAnalyzer.Analyze(new RiskInputs(currentSide.Value, targetSide.Value, feed, integrity, stored.Contains, at)));
    }

    /// <summary>The feed a request recorded by digest, read back from the artifact store; the empty feed for none.</summary>
    public static async Task<Result<VulnerabilityFeed>> FeedAsync(ReleaseStore store, string? digest, CancellationToken cancellation)
    {
        if (digest is null)
            return Result<VulnerabilityFeed>.Ok(VulnerabilityFeed.Empty);
        var parsed = Sha256Digest.Parse(digest);
        var blob = parsed.IsOk ? await store.Artifacts.ReadAllAsync(parsed.Value, FeedFiles.MaxSize, cancellation) : parsed.Problem;
        if (!blob.IsOk)
            return blob.Problem with { Message = $"the vulnerability feed the request recorded: {blob.Problem.Message}" };
        return VulnerabilityFeed.FromBlob(blob.Value, digest);
    }

    /// <summary>Null when the request states what the analysis gives (<see cref="StatedRisk"/>), reading the assessment it names from the artifact store.</summary>
    public static async Task<Problem?> CheckStatedAsync(ReleaseStore store, long requestIndex, RiskSummary stated, RiskAssessment computed, CancellationToken cancellation)
    {
        var digest = Sha256Digest.Parse(stated.AssessmentDigest);
        var blob = digest.IsOk ? await store.Artifacts.ReadAllAsync(digest.Value, 64L << 20, cancellation) : digest.Problem;
        if (!blob.IsOk)
            return Inconsistent(requestIndex, $"the assessment it names ({stated.AssessmentDigest}) cannot be read: {blob.Problem.Message}");
        return StatedRisk.WhyNot(stated, blob.Value, computed) is { } why ? Inconsistent(requestIndex, why) : null;
    }

    private static async Task<Result<ReleaseSide>> SideAsync(LedgerView view, RollbackSide side, CancellationToken cancellation)
    {
        var release = view.Read<ReleasePredicate>(side.Release, StatementKinds.Release);
        if (!release.IsOk)
            return release.Problem;
        if (release.Value.Predicate.Version != side.Version)
            return Result<ReleaseSide>.Fail(ErrorCodes.ReleaseMismatch, $"log entry {side.Release.LogIndex} releases version {release.Value.Predicate.Version}, not {side.Version}");
        if (release.Value.Predicate.Sbom is not { } sbom)
            return Result<ReleaseSide>.Ok(new ReleaseSide(release.Value.Predicate, null));
        var digest = Sha256Digest.Parse(sbom.Digest);
        var bytes = digest.IsOk ? await view.Store.Artifacts.ReadAllAsync(digest.Value, SbomValidator.MaxSize, cancellation) : digest.Problem;
        return bytes.IsOk ? ReleaseSide.Of(release.Value.Predicate, bytes.Value, side.Release.LogIndex) : bytes.Problem;
    }

    private static Problem Inconsistent(long requestIndex, string why) => new(ErrorCodes.RequestInconsistent, $"request {requestIndex} is inconsistent with the log: {why}");
}
