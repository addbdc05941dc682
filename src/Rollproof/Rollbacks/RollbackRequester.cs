using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Releases.Sbom;
using Rollproof.Rollbacks.Policy;
using Rollproof.Rollbacks.Risk;
using Rollproof.Signing;
using Rollproof.Storage;

namespace Rollproof.Rollbacks;

/// <summary>What a person asks for: roll <paramref name="App"/> (optional when the environment runs one app) back to <paramref name="TargetVersion"/>.</summary>
public sealed record RollbackAsk(string Environment, string? App, string TargetVersion, string Reason, string Rationale, string Ticket, bool Emergency, string? TestResultsFile, string? VulnerabilityFeed);

/// <summary>A logged request, its full risk assessment, and the policy's first word on it.</summary>
public sealed record FiledRequest(LoggedStatement Logged, RollbackRequestPredicate Request, RiskAssessment Risk, PolicyDecision Decision);

/// <summary>
/// Files a rollback request: finds what runs now and the earlier deployment of the target from the ledger, checks the
/// requester's role under the policy in force, verifies the target, analyses the security implications of the step,
/// and signs and logs it all. The request is logged even when the policy will refuse it, so attempts are on record.
/// </summary>
public static class RollbackRequester
{
    public static async Task<Result<FiledRequest>> RequestAsync(ReleaseStore store, RollbackAsk ask, IStatementSigner signer, string stateFile, TimeProvider clock, CancellationToken cancellation = default)
    {
        if (!RollbackRequestPredicate.Reasons.Contains(ask.Reason))
            return Invalid($"reason '{ask.Reason}' is not one of {string.Join(", ", RollbackRequestPredicate.Reasons)}");
        if (string.IsNullOrWhiteSpace(ask.Rationale) || string.IsNullOrWhiteSpace(ask.Ticket))
            return Invalid("a rollback request needs a rationale and a ticket");
        var ledger = new StatementLedger(store);
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var policy = PolicyLedger.Read(ledger, store, ask.Environment);
        if (!policy.IsOk)
            return policy.Problem;
        var requester = trust.Value.NameOf(signer.PublicKey.KeyId);
        var allowed = requester is not null && (ask.Emergency ? policy.Value.Policy.Emergency.BreakGlass.Contains(requester) : policy.Value.Policy.Holds(requester, RollbackRole.Requester));
        if (!allowed)
            return Result<FiledRequest>.Fail(ErrorCodes.RoleNotHeld, $"{requester ?? "this key"} may not {(ask.Emergency ? "break glass" : "request rollbacks")} in {ask.Environment}");

        var sides = FindSides(ledger, store, trust.Value, ask);
        if (!sides.IsOk)
            return sides.Problem;
        var (app, current, target) = sides.Value;
        var risk = await AnalyzeAsync(store, trust.Value, app, current, target, ask.VulnerabilityFeed, stateFile, clock.GetUtcNow(), cancellation);
        if (!risk.IsOk)
            return risk.Problem;
        string? testResults = null;
        if (ask.TestResultsFile is { } file)
        {
            if (!File.Exists(file))
                return Result<FiledRequest>.Fail(ErrorCodes.InputMissing, $"test results '{file}' do not exist");
            await using var stream = File.OpenRead(file);
            testResults = (await store.Artifacts.PutAsync(stream, cancellation)).ToString();
        }

        var assessment = await store.Artifacts.PutAsync(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(risk.Value, PredicateJson.Options)), cancellation);
        var predicate = new RollbackRequestPredicate(ask.Environment, app, current, target, ask.Reason, ask.Rationale, ask.Ticket, ask.Emergency, testResults, policy.Value.Ref, RiskSummary.Of(risk.Value, assessment.ToString()));
        var statement = new InTotoStatement(
            [Subject("current", current.Release), Subject("target", target.Release)],
            StatementKinds.PredicateType(StatementKinds.RollbackRequest),
            PredicateJson.Write(predicate));
        var logged = await ledger.AppendAsync(statement, signer, clock, cancellation);
        if (!logged.IsOk)
            return logged.Problem;
        var facts = RollbackDecisions.Facts(predicate, logged.Value.Ref, requester!, logged.Value.Timestamp.Time, TargetReleasedAt(store, trust.Value, target), risk.Value.IntegrityFailed);
        var decision = PolicyEvaluator.Evaluate(policy.Value.Policy, facts, [], clock.GetUtcNow());
        return Result<FiledRequest>.Ok(new FiledRequest(logged.Value, predicate, risk.Value, decision));
    }

    // What runs now is the environment's latest deployment of the app; the target is its latest earlier deployment.
    private static Result<(string App, RollbackSide Current, RollbackSide Target)> FindSides(StatementLedger ledger, ReleaseStore store, TrustFile trust, RollbackAsk ask)
    {
        var opened = ledger.OpenIndex();
        if (!opened.IsOk)
            return opened.Problem;
        using var index = opened.Value;
        var running = index.Environments().Where(d => d.Environment == ask.Environment).ToList();
        if (ask.App is not null)
            running = [.. running.Where(d => d.App == ask.App)];
        if (running.Count != 1)
            return Result<(string, RollbackSide, RollbackSide)>.Fail(ErrorCodes.RequestInvalid, running.Count == 0
                ? $"nothing{(ask.App is null ? "" : $" of {ask.App}")} has been recorded as deployed to {ask.Environment}"
                : $"{ask.Environment} runs {string.Join(", ", running.Select(d => d.App))}: say which with --app");
        var now = running[0];
        if (now.Version == ask.TargetVersion)
            return Result<(string, RollbackSide, RollbackSide)>.Fail(ErrorCodes.RequestInvalid, $"{now.App} {now.Version} is what runs in {ask.Environment} already");
        var earlier = index.History(now.App).Where(e => e.Kind == StatementKinds.Deployment && e.Environment == ask.Environment && e.Version == ask.TargetVersion && e.LogIndex < now.LogIndex).LastOrDefault();
        if (earlier is null)
            return Result<(string, RollbackSide, RollbackSide)>.Fail(ErrorCodes.RequestInvalid, $"{now.App} {ask.TargetVersion} was never deployed to {ask.Environment} before {now.Version}: a rollback goes back to a release that ran there");
        var current = Side(store, trust, now.LogIndex, index.IndexedSize);
        var target = Side(store, trust, earlier.LogIndex, index.IndexedSize);
        if (!current.IsOk)
            return current.Problem;
        if (!target.IsOk)
            return target.Problem;
        return Result<(string, RollbackSide, RollbackSide)>.Ok((now.App, current.Value, target.Value));
    }

    private static Result<RollbackSide> Side(ReleaseStore store, TrustFile trust, long deploymentIndex, long size)
    {
        var deployment = LoggedPredicate.Read<DeploymentPredicate>(store.Log, trust, deploymentIndex, size, StatementKinds.Deployment);
        return deployment.IsOk
            ? Result<RollbackSide>.Ok(new RollbackSide(deployment.Value.Predicate.Version, deployment.Value.Predicate.Release, deployment.Value.Ref))
            : deployment.Problem;
    }

    private static async Task<Result<RiskAssessment>> AnalyzeAsync(ReleaseStore store, TrustFile trust, string app, RollbackSide current, RollbackSide target, string? feedDirectory, string stateFile, DateTimeOffset now, CancellationToken cancellation)
    {
        var feed = feedDirectory is null ? Result<VulnerabilityFeed>.Ok(VulnerabilityFeed.Empty) : VulnerabilityFeed.Load(feedDirectory);
        if (!feed.IsOk)
            return feed.Problem;
        var currentSide = await ReleaseSideAsync(store, app, current.Version, cancellation);
        if (!currentSide.IsOk)
            return currentSide.Problem;
        var targetSide = await ReleaseSideAsync(store, app, target.Version, cancellation);
        if (!targetSide.IsOk)
            return targetSide.Problem;
        var verified = await ReleaseVerifier.VerifyAsync(store, app, target.Version, trust, stateFile, cancellation);
        var integrity = verified.IsOk
            ? new TargetIntegrity(null, SignerKeyStatus.Of(trust, verified.Value.SignedBy, now), trust.NameOf(verified.Value.SignedBy))
            : new TargetIntegrity(verified.Problem, KeyStatus.Valid, null);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var down in currentSide.Value.Predicate.Migrations.Select(m => m.DownDigest).OfType<string>())
            if (Sha256Digest.Parse(down) is { IsOk: true } digest && await store.Artifacts.ExistsAsync(digest.Value, cancellation))
                stored.Add(down);
        return Result<RiskAssessment>.Ok(RiskAnalyzer.Analyze(new RiskInputs(currentSide.Value, targetSide.Value, feed.Value, integrity, stored.Contains, now)));
    }

    private static async Task<Result<ReleaseSide>> ReleaseSideAsync(ReleaseStore store, string app, string version, CancellationToken cancellation)
    {
        var opened = await store.OpenReleaseAsync(app, version, cancellation);
        if (!opened.IsOk)
            return opened.Problem;
        if (opened.Value.Predicate.Sbom is not { } sbom)
            return Result<ReleaseSide>.Ok(new ReleaseSide(opened.Value.Predicate, null));
        var digest = Sha256Digest.Parse(sbom.Digest);
        if (!digest.IsOk)
            return digest.Problem;
        var bytes = await store.Artifacts.ReadAllAsync(digest.Value, CycloneDxValidator.MaxSize, cancellation);
        return bytes.IsOk ? Result<ReleaseSide>.Ok(new ReleaseSide(opened.Value.Predicate, bytes.Value)) : bytes.Problem;
    }

    /// <summary>When the target's release statement was logged, by the log's own timestamp.</summary>
    public static DateTimeOffset? TargetReleasedAt(ReleaseStore store, TrustFile trust, RollbackSide target)
    {
        var checkpoint = store.Log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return null;
        var entry = LedgerEntries.Read(store.Log, trust, target.Release.LogIndex, checkpoint.Value.Checkpoint.Size);
        return entry.IsOk ? entry.Value.LoggedAt : null;
    }

    private static Subject Subject(string name, StatementRef release) =>
        new($"{name}-release:{release.LogIndex}", new Dictionary<string, string> { ["sha256"] = release.Digest["sha256:".Length..] });

    private static Result<FiledRequest> Invalid(string message) => Result<FiledRequest>.Fail(ErrorCodes.RequestInvalid, message);
}
