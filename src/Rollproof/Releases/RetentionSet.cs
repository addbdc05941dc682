using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Signing;

namespace Rollproof.Releases;

/// <summary>How many of each app's newest releases keep their files, and how long a release that left an environment does.</summary>
public sealed record RetentionRules(int Keep, TimeSpan Retain);

/// <summary>
/// What gc must keep and why, read from the log alone (the records' own claims, such as when they were published,
/// are the publisher's and decide nothing): each app's newest releases in log order; what any environment runs now
/// or ran within the retention period, by deployment or completed rollback; and the target and current release of
/// every rollback request still pending or approved and not executed to completion. A statement that does not read,
/// or lacks its log timestamp, stops the reading (gc then frees nothing); one not signed by a key allowed its kind
/// is set aside.
/// </summary>
public sealed class RetentionSet
{
    private const string CompletedOutcome = "completed";
    private readonly Dictionary<(string App, string Version), List<string>> _reasons = [];
    private readonly HashSet<string> _digests = new(StringComparer.Ordinal);
    private readonly List<string> _setAside = [];

    private RetentionSet()
    {
    }

    /// <summary>Every file (artifact, SBOM, script) of a kept release, as its logged statement names them.</summary>
    public IReadOnlySet<string> Digests => _digests;

    /// <summary>Statements that did not count, signed by no key allowed to sign their kind, and why.</summary>
    public IReadOnlyList<string> SetAside => _setAside;

    /// <summary>Why the release of a record keeps its files; none if it need not.</summary>
    public IReadOnlyList<string> ReasonsFor(ReleaseRecord record) =>
        record.LogIndex is null ? ["publish not finished"] : _reasons.GetValueOrDefault((record.App, record.Version)) ?? [];

    public static async Task<Result<RetentionSet>> ReadAsync(ReleaseStore store, RetentionRules rules, string stateFile, TimeProvider clock, CancellationToken cancellation = default)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var ledger = new StatementLedger(store);
        var index = ledger.OpenIndex();
        if (!index.IsOk)
            return index.Problem;
        IReadOnlyList<long> releaseIndexes, deploymentIndexes, requestIndexes;
        using (index.Value)
        {
            releaseIndexes = index.Value.Statements(StatementKinds.Release, null);
            deploymentIndexes = index.Value.Statements(StatementKinds.Deployment, null);
            requestIndexes = index.Value.Statements(StatementKinds.RollbackRequest, null);
        }
        var set = new RetentionSet();
        var releases = set.Signed<ReleasePredicate>(ledger, trust.Value, releaseIndexes, StatementKinds.Release);
        if (!releases.IsOk)
            return releases.Problem;
        var deployments = set.Signed<DeploymentPredicate>(ledger, trust.Value, deploymentIndexes, StatementKinds.Deployment);
        if (!deployments.IsOk)
            return deployments.Problem;
        var wentLive = deployments.Value.Select(d => new WentLive(d.Entry.Index, d.Predicate.Environment, d.Predicate.App, d.Predicate.Version, d.Entry.LoggedAt!.Value)).ToList();
        var open = new List<long>();
        foreach (var requestIndex in requestIndexes)
        {
            var completed = set.Completed(ledger, trust.Value, requestIndex);
            if (!completed.IsOk)
                return completed.Problem with { Message = $"request {requestIndex}: {completed.Problem.Message}" };
            if (completed.Value is { } rolledBack)
                wentLive.Add(rolledBack);
            else
                open.Add(requestIndex);
        }
        set.KeepNewest(releases.Value, rules.Keep);
        set.KeepLive(wentLive, rules.Retain, clock.GetUtcNow());
        foreach (var requestIndex in open)
        {
            var status = await RollbackDecisions.StatusAsync(store, requestIndex, stateFile, clock, cancellation);
            if (!status.IsOk)
                return status.Problem with { Message = $"request {requestIndex}: {status.Problem.Message}" };
            set.KeepBothEnds(status.Value);
        }
        foreach (var release in releases.Value.Where(r => set._reasons.ContainsKey((r.Predicate.App, r.Predicate.Version))))
            set._digests.UnionWith(ReleaseContents.Digests(release.Entry.Statement!, release.Predicate));
        return Result<RetentionSet>.Ok(set);
    }

    // A release went live in an environment: deployed, or rolled back to by a completed execution.
    private sealed record WentLive(long LogIndex, string Environment, string App, string Version, DateTimeOffset At);

    private void KeepNewest(IReadOnlyList<LoggedPredicate<ReleasePredicate>> releases, int keep)
    {
        foreach (var app in releases.GroupBy(r => r.Predicate.App, StringComparer.Ordinal))
            foreach (var release in app.OrderByDescending(r => r.Entry.Index).Take(keep))
                Keep(app.Key, release.Predicate.Version, $"newest {keep} of {app.Key}");
    }

    // Each went-live ends at the next one for the same app and environment, in log order; the last still runs.
    private void KeepLive(List<WentLive> wentLive, TimeSpan retain, DateTimeOffset now)
    {
        foreach (var run in wentLive.GroupBy(w => (w.Environment, w.App)))
        {
            var ordered = run.OrderBy(w => w.LogIndex).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var live = ordered[i];
                if (i == ordered.Count - 1)
                    Keep(live.App, live.Version, $"runs in {live.Environment} since {live.At:O}");
                else if (ordered[i + 1].At >= now - retain)
                    Keep(live.App, live.Version, $"ran in {live.Environment} within {Durations.Format(retain)}");
            }
        }
    }

    // A request executed to completion made its target live in its environment, at the execution's logged time.
    private Result<WentLive?> Completed(StatementLedger ledger, TrustFile trust, long requestIndex)
    {
        var executions = ledger.Referring<ExecutionPredicate>(requestIndex, StatementKinds.Execution);
        if (!executions.IsOk)
            return executions.Problem;
        var authorised = Authorised(executions.Value, trust, StatementKinds.Execution);
        if (!authorised.IsOk)
            return authorised.Problem;
        if (authorised.Value.FirstOrDefault(e => e.Predicate.Outcome == CompletedOutcome) is not { } completed)
            return Result<WentLive?>.Ok(null);
        var request = ledger.Read<RollbackRequestPredicate>(requestIndex, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem;
        var r = request.Value.Predicate;
        return Result<WentLive?>.Ok(new WentLive(completed.Entry.Index, r.Environment, r.App, r.Target.Version, completed.Entry.LoggedAt!.Value));
    }

    // A request not yet carried out may still be: while pending or approved, both the release it leaves and the one it returns to stay whole.
    private void KeepBothEnds(RequestStatus status)
    {
        if (status.Decision.Status is not (DecisionStatus.Pending or DecisionStatus.Approved))
            return;
        var r = status.Request.Predicate;
        var state = status.Decision.Status.ToString().ToLowerInvariant();
        Keep(r.App, r.Target.Version, $"target of {state} request {status.Request.Entry.Index}");
        Keep(r.App, r.Current.Version, $"current of {state} request {status.Request.Entry.Index}");
    }

    private Result<List<LoggedPredicate<T>>> Signed<T>(StatementLedger ledger, TrustFile trust, IReadOnlyList<long> indexes, string kind) where T : class
    {
        var read = new List<LoggedPredicate<T>>();
        foreach (var logIndex in indexes)
        {
            var statement = ledger.Read<T>(logIndex, kind);
            if (!statement.IsOk)
                return statement.Problem;
            read.Add(statement.Value);
        }
        return Authorised(read, trust, kind);
    }

    // Fail closed: a statement without its log timestamp stops gc, since when it counts cannot be told; one signed by
    // no key allowed its kind at its logged time is set aside and reported.
    private Result<List<LoggedPredicate<T>>> Authorised<T>(IEnumerable<LoggedPredicate<T>> statements, TrustFile trust, string kind) where T : class
    {
        var authorised = new List<LoggedPredicate<T>>();
        foreach (var statement in statements)
        {
            var entry = statement.Entry;
            if (entry.LoggedAt is not { } at)
                return Result<List<LoggedPredicate<T>>>.Fail(ErrorCodes.EntryTimestampInvalid, $"the {kind} statement at log index {entry.Index} has no log timestamp");
            if (entry.SignerKeyId is { } keyId && trust.Authorize(keyId, kind, at).IsOk)
                authorised.Add(statement);
            else
                _setAside.Add($"log index {entry.Index}: a {kind} statement not signed by a key the trust file lets sign {kind} statements; it does not count");
        }
        return Result<List<LoggedPredicate<T>>>.Ok(authorised);
    }

    private void Keep(string app, string version, string reason)
    {
        if (!_reasons.TryGetValue((app, version), out var reasons))
            _reasons[(app, version)] = reasons = [];
        if (!reasons.Contains(reason))
            reasons.Add(reason);
    }
}
