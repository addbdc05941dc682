using System.Globalization;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Storage;

namespace Rollproof.Runbooks;

/// <summary>
/// Where a rollback request stands: <c>requested</c> (approvals still missing), <c>approved</c>, <c>rejected</c> or
/// <c>refused</c> by the policy's decision; once it ran, <c>executing</c>, <c>completed</c>, <c>failed</c> or
/// <c>interrupted</c> (or another outcome an execution states), at which step of how many, with the times it was
/// requested, approved, started and finished. Everything comes from the log (the decision, the signed execution
/// statements) except a run the log has not heard the end of yet: that is read from the execution's journal, which is
/// not signed (<see cref="FromJournal"/>).
/// </summary>
public sealed record RequestProgress(
    string State,
    int Approvals,
    int RequiredApprovals,
    DateTimeOffset RequestedAt,
    DateTimeOffset? ApprovedAt,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    string? Step,
    int? StepNumber,
    int? StepCount,
    long? Execution,
    bool FromJournal,
    string? Note)
{
    /// <summary>One line for people: the state, the approvals or the step.</summary>
    public string Describe()
    {
        var at = Step is null ? "" : StepNumber is { } n && StepCount is { } m ? $" step {n} of {m} ({Step})" : $" step {Step}";
        return State switch
        {
            "requested" => $"requested, {Approvals} of {RequiredApprovals} approvals",
            "approved" => $"approved ({Approvals} of {RequiredApprovals})",
            "executing" => "executing" + at,
            "completed" or "rejected" or "refused" => State,
            _ => State + (at.Length > 0 ? " at" + at : ""),
        };
    }
}

/// <summary>Reads a request's progress (<see cref="RequestProgress"/>) from the log and, for a run the log has not heard the end of, its journal.</summary>
public static class RequestProgressReader
{
    public static Result<RequestProgress> Read(Releases.ReleaseStore store, RequestStatus status, DateTimeOffset now)
    {
        var view = LedgerView.Open(store);
        return view.IsOk ? Read(view.Value, status, now) : view.Problem;
    }

    /// <summary>As the class says; a failed run whose runbook was amended notes the amendment's approvals as of <paramref name="now"/> (<see cref="AmendmentProgress"/>).</summary>
    public static Result<RequestProgress> Read(LedgerView view, RequestStatus status, DateTimeOffset now)
    {
        var (request, decision, _) = status;
        var decided = new RequestProgress(
            decision.Status switch { DecisionStatus.Pending => "requested", var other => other.ToString().ToLowerInvariant() },
            decision.CountedApprovers.Count, decision.RequiredApprovals, request.Entry.LoggedAt!.Value, status.ApprovedAt,
            null, null, null, null, null, null, FromJournal: false, Note: null);
        var executions = view.Referring<ExecutionPredicate>(request.Ref, StatementKinds.Execution);
        if (!executions.IsOk)
            return executions.Problem;
        var logged = RunStart.Ended(executions.Value.Counted); // a run's start is shown by its journal, and its end by the log
        var progress = logged.Count == 0 ? decided : FromLog(decided, logged);
        if (logged is [.., { Predicate.Outcome: "failed" } failed])
            progress = progress with { Note = AmendmentProgress.Note(view, request, failed.Entry.Index, now) };
        var work = Path.Combine(view.Store.Root, ".rollproof", "executions", request.Entry.Index.ToString(CultureInfo.InvariantCulture));
        var journal = new ExecutionJournal(Path.Combine(work, "journal.jsonl"));
        if (!File.Exists(journal.Path))
            return Result<RequestProgress>.Ok(progress);
        var records = journal.Read();
        if (!records.IsOk)
            return Result<RequestProgress>.Ok(progress with { Note = $"the execution journal cannot be read: {records.Problem.Message}" });
        // The journal logged with the last execution is this one: the log has the whole story.
        if (records.Value.Count == 0 || logged.Count > 0 && InputFile.Read(journal.Path, ExecutionJournal.MaxSize, "journal") is { IsOk: true } bytes && logged[^1].Predicate.JournalDigest == Sha256Digest.Of(bytes.Value).ToString())
            return Result<RequestProgress>.Ok(progress);
        var environmentLock = EnvironmentLocks.For(view.Store, request.Predicate.Environment);
        var running = environmentLock.Owner() is { } owner
            && owner.Execution == request.Entry.Index.ToString(CultureInfo.InvariantCulture) && environmentLock.RunsNow(owner);
        return Result<RequestProgress>.Ok(FromJournal(progress, records.Value, StepsOf(Path.Combine(work, "runbook.yaml")), running));
    }

    // The last execution logged: its outcome, the step it stopped at, from the first step's start across every run.
    private static RequestProgress FromLog(RequestProgress decided, IReadOnlyList<LoggedPredicate<ExecutionPredicate>> logged)
    {
        var last = logged[^1];
        var steps = last.Predicate.Steps.Select(s => s.Id).ToList();
        var step = last.Predicate.FailedStep;
        return decided with
        {
            State = last.Predicate.Outcome, Step = step, StepNumber = step is null ? null : steps.IndexOf(step) + 1, StepCount = steps.Count,
            Started = logged.SelectMany(e => e.Predicate.Steps).Select(s => s.Started).Min(), Finished = last.Entry.LoggedAt, Execution = last.Entry.Index,
        };
    }

    // A run the log has not heard the end of: under way while the process holding the environment's lock for it lives;
    // stopped otherwise (a crash, a kill, Ctrl-C), or failed at a step it has not logged yet. A record of a kind this
    // version does not know ends the run as well.
    private static RequestProgress FromJournal(RequestProgress before, IReadOnlyList<JournalRecord> records, List<string>? steps, bool running)
    {
        var last = records[^1];
        var step = last.Event == StepEvent.Completed && steps is not null && steps.IndexOf(last.Step) + 1 is var next && next > 0 && next < steps.Count ? steps[next] : last.Step;
        var state = last.Event switch
        {
            StepEvent.Started or StepEvent.Completed => running ? "executing" : "interrupted",
            StepEvent.Failed => "failed",
            _ => "interrupted",
        };
        var number = steps?.IndexOf(step) + 1;
        return before with
        {
            State = state, Step = step, StepNumber = number > 0 ? number : null, StepCount = steps?.Count,
            Started = before.Started ?? records[0].At, Finished = state == "executing" ? null : last.At, FromJournal = true,
            Note = state == "interrupted" && last.Event == StepEvent.Completed && steps is [.., var lastStep] && lastStep == last.Step ? "every step completed, but the execution is not logged yet: resume it to log it" : before.Note,
        };
    }

    // The runbook the execution began with, as stored beside its journal; null if it cannot be read.
    private static List<string>? StepsOf(string runbookPath)
    {
        if (!File.Exists(runbookPath) || InputFile.Read(runbookPath, RunbookYaml.MaxSize, "runbook") is not { IsOk: true } bytes)
            return null;
        var runbook = RunbookYaml.Parse(System.Text.Encoding.UTF8.GetString(bytes.Value), RollbackExecutor.Engine.Known);
        return runbook.IsOk ? [.. runbook.Value.Steps.Select(s => s.Id)] : null;
    }
}
