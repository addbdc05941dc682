using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;

namespace Rollproof.Server.Ledger;

/// <summary>A library problem as the API reports it: its stable code and message.</summary>
public sealed record LedgerProblem(string Code, string Message)
{
    public static LedgerProblem Of(Problem problem) => new(problem.Code, problem.Message);
}

/// <summary>
/// Where a request stands (<see cref="RequestProgress"/>) with the policy's decision now: its status and unmet rules,
/// approvals counted of those required, the times, the step, and whether the state comes from the signed log or the
/// unsigned execution journal (<paramref name="Source"/>).
/// </summary>
public sealed record RollbackState(
    string State, string Decision, IReadOnlyList<string> Unmet, int Approvals, int RequiredApprovals,
    DateTimeOffset RequestedAt, DateTimeOffset? ApprovedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? Step, int? StepNumber, int? StepCount, long? Execution, string Source, string? Note, ReviewState? Review)
{
    public static RollbackState Of(RequestStatus status, RequestProgress p) =>
        new(p.State, Name(status.Decision.Status), [.. status.Decision.Unmet.Select(r => r.Rule)], p.Approvals, p.RequiredApprovals,
            p.RequestedAt, p.ApprovedAt, p.Started, p.Finished, p.Step, p.StepNumber, p.StepCount, p.Execution,
            p.FromJournal ? "journal" : "log", p.Note, status.Review);

    public static string Name(DecisionStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>The policy's decision on a request, every rule with whether it is met and why.</summary>
public sealed record DecisionView(
    string Status, bool BreakGlass, int RequiredApprovals, IReadOnlyList<RuleOutcome> Rules, IReadOnlyList<string> CountedApprovers,
    IReadOnlyList<string> IgnoredApprovals, IReadOnlyList<string> Conditions, DateTimeOffset? ReviewDue)
{
    public static DecisionView Of(PolicyDecision d) =>
        new(RollbackState.Name(d.Status), d.BreakGlass, d.RequiredApprovals, d.Rules, d.CountedApprovers, d.IgnoredApprovals, d.Conditions, d.ReviewDue);
}

/// <summary>
/// A rollback request in a list: the request, from and to which version, and where it stands; or, when the log's
/// record of it does not hold together (a policy or risk it misstates), the problem instead of a state.
/// </summary>
public sealed record RollbackSummary(LedgerStatement Request, string CurrentVersion, string TargetVersion, bool Emergency, RollbackState? State, LedgerProblem? Problem);

public sealed record RollbackPage(long TreeSize, string Trust, IReadOnlyList<RollbackSummary> Items, IReadOnlyList<SetAsideEntry> SetAside, string? NextPageToken);

/// <summary>The statements of one kind about a request: those that count, with their predicates, and those set aside, with why.</summary>
public sealed record RelatedStatements(IReadOnlyList<DetailedStatement> Counted, IReadOnlyList<string> SetAside);

/// <summary>Everything the log holds about one rollback request: the request, its state and decision, and the approvals, reviews, executions and reports about it.</summary>
public sealed record RollbackDetail(
    long TreeSize, string Trust, DetailedStatement Request, RollbackState? State, DecisionView? Decision, LedgerProblem? Problem,
    RelatedStatements Approvals, RelatedStatements Reviews, RelatedStatements Executions, RelatedStatements Reports);

/// <summary>Rollback requests read from the log, with their state as <c>rollback status</c> derives it.</summary>
public static class RollbackViews
{
    /// <summary>A page of requests matching <paramref name="query"/>, each with where it stands now.</summary>
    public static async Task<Result<RollbackPage>> PageAsync(LedgerReader reader, LedgerSnapshot snapshot, LedgerQuery query, TimeProvider clock, CancellationToken cancellation)
    {
        var view = snapshot.View;
        var found = StatementPages.Scan(view, StatementKinds.RollbackRequest, query);
        if (!found.IsOk)
            return found.Problem;
        var (matches, setAside, next) = found.Value;
        var items = new List<RollbackSummary>();
        foreach (var (entry, facts) in matches)
        {
            var request = LoggedPredicate.Parse<RollbackRequestPredicate>(entry, StatementKinds.RollbackRequest);
            if (!request.IsOk)
                return request.Problem;
            var (status, progress, problem) = await StandingAsync(reader, view, entry.Index, clock, cancellation);
            var r = request.Value.Predicate;
            items.Add(new RollbackSummary(LedgerStatement.Of(entry, facts), r.Current.Version, r.Target.Version, r.Emergency,
                status is null ? null : RollbackState.Of(status, progress!), problem));
        }
        return Result<RollbackPage>.Ok(new RollbackPage(view.Size, LedgerTrust.Statement, items, setAside, next));
    }

    /// <summary>The request at <paramref name="request"/> (which must count) with everything about it.</summary>
    public static async Task<Result<RollbackDetail>> DetailAsync(LedgerReader reader, LedgerSnapshot snapshot, LoggedPredicate<RollbackRequestPredicate> request, TimeProvider clock, CancellationToken cancellation)
    {
        var view = snapshot.View;
        var facts = StatementFacts.Of(view, request.Entry);
        if (!facts.IsOk)
            return facts.Problem;
        var approvals = Related<ApprovalPredicate>(view, request.Ref, StatementKinds.Approval);
        var reviews = Related<ReviewPredicate>(view, request.Ref, StatementKinds.Review);
        var executions = Related<ExecutionPredicate>(view, request.Ref, StatementKinds.Execution);
        var reports = Related<ReportPredicate>(view, request.Ref, StatementKinds.Report);
        foreach (var related in new[] { approvals, reviews, executions, reports })
            if (!related.IsOk)
                return related.Problem;
        var (status, progress, problem) = await StandingAsync(reader, view, request.Entry.Index, clock, cancellation);
        return Result<RollbackDetail>.Ok(new RollbackDetail(
            view.Size, LedgerTrust.Statement, new DetailedStatement(LedgerStatement.Of(request.Entry, facts.Value), request.Entry.Statement!.Predicate),
            status is null ? null : RollbackState.Of(status, progress!), status is null ? null : DecisionView.Of(status.Decision), problem,
            approvals.Value, reviews.Value, executions.Value, reports.Value));
    }

    // The decision and progress as 'rollback status' derives them; a request whose record does not hold together gets its problem instead.
    private static async Task<(RequestStatus? Status, RequestProgress? Progress, LedgerProblem? Problem)> StandingAsync(LedgerReader reader, LedgerView view, long index, TimeProvider clock, CancellationToken cancellation)
    {
        var status = await RollbackDecisions.StatusAsync(reader.Store, index, reader.CheckpointMemory, clock, cancellation);
        var progress = status.IsOk ? RequestProgressReader.Read(view, status.Value, clock.GetUtcNow()) : status.Problem;
        return progress.IsOk ? (status.Value, progress.Value, null) : (null, null, LedgerProblem.Of(progress.Problem!));
    }

    private static Result<RelatedStatements> Related<T>(LedgerView view, Trust.StatementRef request, string kind) where T : class
    {
        var found = view.Referring<T>(request, kind);
        if (!found.IsOk)
            return found.Problem;
        var counted = new List<DetailedStatement>();
        foreach (var statement in found.Value.Counted)
        {
            var facts = StatementFacts.Of(view, statement.Entry);
            if (!facts.IsOk)
                return facts.Problem;
            counted.Add(new DetailedStatement(LedgerStatement.Of(statement.Entry, facts.Value), statement.Entry.Statement!.Predicate));
        }
        return Result<RelatedStatements>.Ok(new RelatedStatements(counted, found.Value.SetAside));
    }
}
