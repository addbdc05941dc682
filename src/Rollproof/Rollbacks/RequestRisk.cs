using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
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
    private const string IntegrityCategory = "integrity";

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
        var files = FeedFiles.FromBlob(blob.Value, digest);
        return files.IsOk ? VulnerabilityFeed.From(files.Value) : files.Problem;
    }

    /// <summary>
    /// Null when the request states what the analysis gives: its summary is that of the assessment it names by
    /// digest, and that assessment's findings are the ones computed again (the target's integrity aside, which is
    /// judged as of now and may change legitimately).
    /// </summary>
    public static async Task<Problem?> CheckStatedAsync(ReleaseStore store, long requestIndex, RiskSummary stated, RiskAssessment computed, CancellationToken cancellation)
    {
        var digest = Sha256Digest.Parse(stated.AssessmentDigest);
        var blob = digest.IsOk ? await store.Artifacts.ReadAllAsync(digest.Value, 64L << 20, cancellation) : digest.Problem;
        if (!blob.IsOk)
            return Inconsistent(requestIndex, $"the assessment it names ({stated.AssessmentDigest}) cannot be read: {blob.Problem.Message}");
        RiskAssessment? assessment;
        try
        {
            assessment = JsonSerializer.Deserialize<RiskAssessment>(blob.Value, PredicateJson.Options);
        }
        catch (JsonException e)
        {
            return Inconsistent(requestIndex, $"the assessment it names is not one: {e.Message}");
        }
        if (assessment is null || !Same(RiskSummary.Of(assessment, stated.AssessmentDigest), stated))
            return Inconsistent(requestIndex, "its risk summary is not the summary of the assessment it names");
        // The level and integrity verdict are stored beside the findings: they must be what those findings give.
        var own = RiskAssessment.Of(assessment.Findings);
        if (own.Level != assessment.Level || own.IntegrityFailed != assessment.IntegrityFailed)
            return Inconsistent(requestIndex, $"its assessment states the risk is {Name(assessment.Level)}{(assessment.IntegrityFailed ? " with integrity failed" : "")}, but its own findings make it {Name(own.Level)}{(own.IntegrityFailed ? " with integrity failed" : "")}");
        var statedFindings = assessment.Findings.Where(f => f.Category != IntegrityCategory).ToList();
        var computedFindings = computed.Findings.Where(f => f.Category != IntegrityCategory).ToList();
        if (Same(statedFindings, computedFindings))
            return null;
        var missing = computedFindings.FirstOrDefault(f => !statedFindings.Any(s => Same(s, f)));
        return Inconsistent(requestIndex, missing is not null
            ? $"it leaves out {missing.Code} ({missing.Severity.ToString().ToLowerInvariant()}): {missing.Message}"
            : "its findings are not what the signed releases and its recorded feed give");
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
        var bytes = digest.IsOk ? await view.Store.Artifacts.ReadAllAsync(digest.Value, CycloneDxValidator.MaxSize, cancellation) : digest.Problem;
        return bytes.IsOk ? Result<ReleaseSide>.Ok(new ReleaseSide(release.Value.Predicate, bytes.Value)) : bytes.Problem;
    }

    // Compared as canonical JSON: a signed statement's copy has its members in canonical order.
    private static bool Same<T>(T a, T b) => Canonical(a).AsSpan().SequenceEqual(Canonical(b));

    private static byte[] Canonical<T>(T value) => CanonicalJson.Canonicalize(JsonSerializer.SerializeToElement(value, PredicateJson.Options)).Value;

    private static string Name(RiskLevel level) => level.ToString().ToLowerInvariant();

    private static Problem Inconsistent(long requestIndex, string why) => new(ErrorCodes.RequestInconsistent, $"request {requestIndex} is inconsistent with the log: {why}");
}
