using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;

namespace Rollproof.Retention;

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
        var opened = LedgerView.Open(store);
        if (!opened.IsOk)
            return opened.Problem;
        var view = opened.Value;
        var set = new RetentionSet();
        var releases = set.Counted<ReleasePredicate>(view, StatementKinds.Release);
        if (!releases.IsOk)
            return releases.Problem;
        var requests = set.Counted<RollbackRequestPredicate>(view, StatementKinds.RollbackRequest);
        if (!requests.IsOk)
            return requests.Problem;
        var placed = set.Placed(view, requests.Value.Select(r => r.Predicate.Environment));
        if (!placed.IsOk)
            return placed.Problem;
        var wentLive = placed.Value.Select(p => new WentLive(p.Placement.Entry.Index, p.Environment, p.Placement.App, p.Placement.Side.Version, p.Placement.Entry.LoggedAt!.Value)).ToList();
        var completed = placed.Value.Select(p => p.Placement.Request?.LogIndex).OfType<long>().ToHashSet();
        var open = requests.Value.Where(r => !completed.Contains(r.Entry.Index)).ToList();
        set.KeepNewest(releases.Value, rules.Keep);
        set.KeepLive(wentLive, rules.Retain, clock.GetUtcNow());
        foreach (var request in open)
        {
            var status = await RollbackDecisions.StatusAsync(store, request.Entry.Index, stateFile, clock, cancellation);
            if (status.IsOk)
                set.KeepBothEnds(status.Value);
            else
                set.KeepBothEnds(request, $"request {request.Entry.Index}, whose decision cannot be derived ({status.Problem.Message})");
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

    // A request not yet carried out may still be: while pending or approved, both the release it leaves and the one it returns to stay whole.
    private void KeepBothEnds(RequestStatus status)
    {
        if (status.Decision.Status is (DecisionStatus.Pending or DecisionStatus.Approved))
            KeepBothEnds(status.Request, $"{status.Decision.Status.ToString().ToLowerInvariant()} request {status.Request.Entry.Index}");
    }

    // Whoever can log a request gc cannot judge must not make gc free anything, nor stop it: both ends are kept.
    private void KeepBothEnds(LoggedPredicate<RollbackRequestPredicate> request, string what)
    {
        Keep(request.Predicate.App, request.Predicate.Target.Version, $"target of {what}");
        Keep(request.Predicate.App, request.Predicate.Current.Version, $"current of {what}");
    }

    // What ran where, as decisions see it (RollbackSides): deployments that count, by an operator of the environment's
    // policy once it had one, and completed rollbacks, in every environment deployed to or asked about.
    private Result<List<(string Environment, Placement Placement)>> Placed(LedgerView view, IEnumerable<string> requested)
    {
        var deployments = Counted<DeploymentPredicate>(view, StatementKinds.Deployment);
        if (!deployments.IsOk)
            return deployments.Problem;
        // Executions are read by RollbackSides; those that do not count are reported here.
        var executions = Counted<ExecutionPredicate>(view, StatementKinds.Execution);
        if (!executions.IsOk)
            return executions.Problem;
        var placed = new List<(string Environment, Placement Placement)>();
        foreach (var environment in deployments.Value.Select(d => d.Predicate.Environment).Concat(requested).Distinct(StringComparer.Ordinal))
        {
            var placements = RollbackSides.Placements(view, environment, null, view.Size);
            if (!placements.IsOk)
                return placements.Problem;
            placed.AddRange(placements.Value.Select(p => (environment, p)));
        }
        var recognised = placed.Select(p => p.Placement.Entry.Index).ToHashSet();
        foreach (var other in deployments.Value.Where(d => !recognised.Contains(d.Entry.Index)))
            _setAside.Add($"log entry {other.Entry.Index} (deployment) not counted: {other.Entry.Signer} was not an operator of {other.Predicate.Environment} then");
        return Result<List<(string Environment, Placement Placement)>>.Ok(placed);
    }

    // Every statement of a kind in the log that counts; those that do not are set aside and reported.
    private Result<IReadOnlyList<LoggedPredicate<T>>> Counted<T>(LedgerView view, string kind) where T : class
    {
        var statements = view.Statements<T>(kind);
        if (!statements.IsOk)
            return statements.Problem;
        _setAside.AddRange(statements.Value.SetAside);
        return Result<IReadOnlyList<LoggedPredicate<T>>>.Ok(statements.Value.Counted);
    }

    private void Keep(string app, string version, string reason)
    {
        if (!_reasons.TryGetValue((app, version), out var reasons))
            _reasons[(app, version)] = reasons = [];
        if (!reasons.Contains(reason))
            reasons.Add(reason);
    }
}
