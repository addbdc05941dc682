namespace Rollproof.Runbooks;

/// <summary>The outcome of running a runbook: the step that failed, if one did (null when all completed), and the journal's records.</summary>
public sealed record RunResult(string? FailedStep, string? Failure, IReadOnlyList<JournalRecord> Journal)
{
    /// <summary>The run was stopped by its operator at <see cref="FailedStep"/>: the run is not over, and a resume continues it.</summary>
    public bool Interrupted { get; init; }
}

/// <summary>
/// Runs a runbook's steps in order, writing each step's start and end to the journal before moving on. Steps the
/// journal shows completed are skipped, so running again after a crash resumes where it stopped: no completed step
/// is repeated and none is skipped. A failing step stops the run. What a completed step recorded is offered to the
/// steps after it as <c>{{steps.ID.NAME}}</c> (the folder a deploy unpacked, say), read back from the journal on resume.
/// Each step is reported to an <see cref="IRunProgress"/> as it runs (<see cref="StepWatch"/>). Cancelled (the operator's
/// Ctrl-C), the step under way stops its processes, an <see cref="StepEvent.Interrupted"/> record is journaled, and
/// the run returns, resumable.
/// </summary>
public sealed class RunbookEngine(IReadOnlyDictionary<string, IRunbookStep> steps)
{
    /// <summary>The steps the engine knows, by the name runbooks use for them.</summary>
    public IReadOnlySet<string> Known { get; } = steps.Keys.ToHashSet(StringComparer.Ordinal);

    public IEnumerable<string> Plan(Runbook runbook, StepContext context) =>
        runbook.Steps.Select((s, i) => $"{i + 1}. {s.Id} ({s.Uses}): {steps[s.Uses].Describe(s.With, context)}");

    /// <summary>The <c>{{name}}</c>s a kind of step fills itself (<see cref="IRunbookStep.OwnValues"/>).</summary>
    public IReadOnlyCollection<string> OwnValues(string uses) => steps[uses].OwnValues;

    public Task<Common.Result<RunResult>> RunAsync(Runbook runbook, ExecutionJournal journal, StepContext context, CancellationToken cancellation = default) =>
        RunAsync(runbook, journal, context, NoRunProgress.Instance, cancellation);

    public async Task<Common.Result<RunResult>> RunAsync(Runbook runbook, ExecutionJournal journal, StepContext context, IRunProgress progress, CancellationToken cancellation)
    {
        var read = journal.Read();
        if (!read.IsOk)
            return read.Problem;
        var completed = ExecutionJournal.Completed(read.Value);
        var records = read.Value.ToList();
        foreach (var (step, number) in runbook.Steps.Select((s, i) => (s, i + 1)))
        {
            if (completed.ContainsKey(step.Id))
                continue;
            if (cancellation.IsCancellationRequested)
                return Interrupted(journal, step.Id, context.Clock.GetUtcNow(), "interrupted (SIGINT or SIGTERM) before it started");
            var start = new JournalRecord(step.Id, StepEvent.Started, context.Clock.GetUtcNow(), null, null);
            journal.Append(start);
            records.Add(start);
            var watch = new StepWatch(new StepInRun(number, runbook.Steps.Count, step.Id, step.Uses), step.With, progress, context.Clock);
            StepOutcome outcome;
            try
            {
                outcome = await steps[step.Uses].RunAsync(step.With, context with { Values = WithOutputs(context.Values, completed), Completed = completed, Journal = records, RunbookSteps = runbook.Steps, Attempt = records.Count(r => r.Step == step.Id && r.Event == StepEvent.Started), OnOutput = watch.Line }, cancellation);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return Interrupted(journal, step.Id, context.Clock.GetUtcNow(), watch.Interrupted());
            }
            // A step that gave up because it was cancelled failed for no reason of its own.
            if (!outcome.Succeeded && cancellation.IsCancellationRequested)
                return Interrupted(journal, step.Id, context.Clock.GetUtcNow(), watch.Interrupted());
            outcome = watch.Finished(outcome);
            CrashPoint.StepDone(step.Id);
            var end = new JournalRecord(step.Id, outcome.Succeeded ? StepEvent.Completed : StepEvent.Failed, context.Clock.GetUtcNow(), outcome.Message, outcome.Evidence);
            journal.Append(end);
            records.Add(end);
            if (outcome.Succeeded)
                completed = new Dictionary<string, JournalRecord>(completed) { [step.Id] = end };
            if (!outcome.Succeeded)
                return Common.Result<RunResult>.Ok(new RunResult(step.Id, outcome.Message, Records(journal)));
        }
        return Common.Result<RunResult>.Ok(new RunResult(null, null, Records(journal)));
    }

    private static Common.Result<RunResult> Interrupted(ExecutionJournal journal, string step, DateTimeOffset at, string message)
    {
        journal.Append(new JournalRecord(step, StepEvent.Interrupted, at, message, null));
        return Common.Result<RunResult>.Ok(new RunResult(step, message, Records(journal)) { Interrupted = true });
    }

    private static Dictionary<string, string> WithOutputs(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, JournalRecord> completed)
    {
        var all = new Dictionary<string, string>(values, StringComparer.Ordinal);
        foreach (var (id, record) in completed)
            foreach (var (name, value) in record.Evidence ?? new Dictionary<string, string>())
                all[$"steps.{id}.{name}"] = value;
        return all;
    }

    private static IReadOnlyList<JournalRecord> Records(ExecutionJournal journal) => journal.Read().Value;
}
