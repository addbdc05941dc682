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
using Rollproof.Trust;

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
        if (WhyInvalid(ask.Reason, ask.Rationale, ask.Ticket) is { } invalid)
            return invalid;
        var opened = LedgerView.Open(store);
        if (!opened.IsOk)
            return opened.Problem;
        var view = opened.Value;
        var policy = PolicyLedger.InForce(view, ask.Environment);
        if (!policy.IsOk)
            return policy.Problem;
        var requester = view.Trust.NameOf(signer.PublicKey.KeyId);
        if (MayRequest(policy.Value.Policy, requester, ask.Emergency) is { } refused)
            return refused;

        var sides = RollbackSides.Find(view, ask.Environment, ask.App, ask.TargetVersion, view.Size);
        if (!sides.IsOk)
            return sides.Problem;
        var (app, current, target) = sides.Value;
        var feedFiles = ask.VulnerabilityFeed is { } directory ? FeedFiles.Read(directory) : Result<FeedFiles>.Ok(FeedFiles.None);
        var feed = feedFiles.IsOk ? VulnerabilityFeed.From(feedFiles.Value) : feedFiles.Problem;
        if (!feed.IsOk)
            return feed.Problem;
        var risk = await RequestRisk.AssessAsync(view, app, current, target, feed.Value, stateFile, clock.GetUtcNow(), cancellation);
        if (!risk.IsOk)
            return risk.Problem;
        var released = RollbackDecisions.TargetReleasedAt(view, target);
        if (!released.IsOk)
            return released.Problem;
        string? testResults = null;
        if (ask.TestResultsFile is { } file)
        {
            var results = InputFile.Open(file, "test results");
            if (!results.IsOk)
                return results.Problem;
            await using var stream = results.Value;
            testResults = (await store.Artifacts.PutAsync(stream, cancellation)).ToString();
        }
        // The feed is kept by digest so that the analysis can be computed again from exactly these advisories.
        string? feedDigest = null;
        if (ask.VulnerabilityFeed is { } feedDirectory)
            feedDigest = (await store.Artifacts.PutAsync(new MemoryStream(feedFiles.Value.ToBlob(feedDirectory)), cancellation)).ToString();

        var assessment = await store.Artifacts.PutAsync(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(risk.Value, PredicateJson.Options)), cancellation);
        var predicate = new RollbackRequestPredicate(ask.Environment, app, current, target, ask.Reason, ask.Rationale, ask.Ticket, ask.Emergency, testResults, policy.Value.Ref, RiskSummary.Of(risk.Value, assessment.ToString()), feedDigest);
        var statement = new InTotoStatement(
            [Subject("current", current.Release), Subject("target", target.Release)],
            StatementKinds.PredicateType(StatementKinds.RollbackRequest),
            PredicateJson.Write(predicate));
        var logged = await new StatementLedger(store).AppendAsync(statement, signer, clock, cancellation);
        if (!logged.IsOk)
            return logged.Problem;
        var facts = RollbackDecisions.Facts(predicate, logged.Value.Ref, requester!, logged.Value.Timestamp.Time, released.Value, risk.Value);
        var decision = PolicyEvaluator.Evaluate(policy.Value.Policy, facts, [], clock.GetUtcNow());
        return Result<FiledRequest>.Ok(new FiledRequest(logged.Value, predicate, risk.Value, decision));
    }

    /// <summary>Null if a request may be made with this reason, rationale and ticket; else why not.</summary>
    public static Problem? WhyInvalid(string reason, string rationale, string ticket)
    {
        if (!RollbackRequestPredicate.Reasons.Contains(reason))
            return new Problem(ErrorCodes.RequestInvalid, $"reason '{reason}' is not one of {string.Join(", ", RollbackRequestPredicate.Reasons)}");
        return string.IsNullOrWhiteSpace(rationale) || string.IsNullOrWhiteSpace(ticket)
            ? new Problem(ErrorCodes.RequestInvalid, "a rollback request needs a rationale and a ticket")
            : null;
    }

    /// <summary>Null if <paramref name="requester"/> (a trust-file name) may ask for a rollback (an emergency: break glass) under <paramref name="policy"/>.</summary>
    public static Problem? MayRequest(RollbackPolicy policy, string? requester, bool emergency)
    {
        var allowed = requester is not null && (emergency ? policy.Emergency.BreakGlass.Contains(requester) : policy.Holds(requester, RollbackRole.Requester));
        return allowed ? null : new Problem(ErrorCodes.RoleNotHeld, $"{requester ?? "this key"} may not {(emergency ? "break glass" : "request rollbacks")} in {policy.Environment}");
    }

    private static Subject Subject(string name, StatementRef release) =>
        new($"{name}-release:{release.LogIndex}", new Dictionary<string, string> { ["sha256"] = release.Digest["sha256:".Length..] });
}
