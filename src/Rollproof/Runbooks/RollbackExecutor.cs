using System.Text;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks.Steps;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Trust;

namespace Rollproof.Runbooks;

/// <summary>The outcome of executing (or planning) a rollback.</summary>
public sealed record Execution(long Request, IReadOnlyList<string> Plan, RunResult? Run, LoggedStatement? Logged);

/// <summary>
/// What lets a run of a request go on: the request's decision and policy as judged at <paramref name="At"/>, now or
/// when the run's open start was logged; <paramref name="Start"/> is that start (<see cref="RunStart"/>) when the
/// runner has one that counts.
/// </summary>
public sealed record RunAllowance(RequestStatus Status, RollbackPolicy Policy, DateTimeOffset At, LoggedPredicate<ExecutionPredicate>? Start);

/// <summary>
/// Executes an approved rollback's runbook: nothing runs unless the policy's decision is approved (a break-glass
/// emergency counts) and the target the request names verifies now, read from the log (<see cref="RollbackReleases"/>),
/// and only an operator of the request's policy may run it; one rollback per environment at a time; the run's start
/// logged before its first step (<see cref="RunStart"/>), every step journaled, and the run logged as an
/// <c>execution</c> statement when it ends. Run it again after a crash and it resumes from the journal with the
/// runbook it started with, under its start.
/// </summary>
public static class RollbackExecutor
{
    private const string JournalFile = "journal.jsonl";

    public static RunbookEngine Engine { get; } = new(new IRunbookStep[] { new CommandStep(), new SnapshotStep(), new MigrateDownStep(), new VerifyStep(), new NotifyStep(), new ReportStep(), new IngressStep(pause: true), new IngressStep(pause: false), new CanaryStep(), new ReplayStep(), new DeployStep(), new DrainStep() }.ToDictionary(s => s.Uses, StringComparer.Ordinal));

    public static Task<Result<Execution>> ExecuteAsync(ReleaseStore store, long requestIndex, string? runbookYaml, IStatementSigner operatorKey, string stateFile, bool dryRun, TimeProvider clock, CancellationToken cancellation = default) =>
        ExecuteAsync(store, requestIndex, runbookYaml, operatorKey, stateFile, dryRun, drill: false, clock, NoRunProgress.Instance, cancellation);

    /// <summary>
    /// As above; a <paramref name="drill"/> is logged as one (see <see cref="RollbackDrill"/>). Interrupted (see
    /// <see cref="RunbookEngine"/>), the run is not logged and the lock stays with the execution, as after a crash, so
    /// only its resume (or a logged override) goes on: the step's processes are gone by then.
    /// </summary>
    public static async Task<Result<Execution>> ExecuteAsync(ReleaseStore store, long requestIndex, string? runbookYaml, IStatementSigner operatorKey, string stateFile, bool dryRun, bool drill, TimeProvider clock, IRunProgress progress, CancellationToken cancellation)
    {
        // A runbook that cannot run is refused before anything is locked, stored or logged.
        if (runbookYaml is not null && RunbookCheck.Check(runbookYaml) is { IsOk: false } unusable)
            return unusable.Problem;
        if (dryRun)
        {
            var planned = await PrepareAsync(store, requestIndex, runbookYaml, operatorKey, stateFile, drill, clock, cancellation);
            return planned.IsOk ? Result<Execution>.Ok(new Execution(requestIndex, planned.Value.Plan, null, null)) : planned.Problem;
        }
        // The environment is locked before the decision is read, so a run acts on the decision as it stands while no
        // other run can start; the request itself is logged and immutable, and names the environment.
        var request = new StatementLedger(store).Read<RollbackRequestPredicate>(requestIndex, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem;
        var execution = requestIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var environmentLock = EnvironmentLocks.For(store, request.Value.Predicate.Environment);
        var held = environmentLock.Acquire(execution, clock);
        if (!held.IsOk)
            return held.Problem;
        using var hold = held.Value;
        var prepared = await PrepareAsync(store, requestIndex, runbookYaml, operatorKey, stateFile, drill, clock, cancellation);
        if (!prepared.IsOk)
        {
            if (hold.Fresh)
                environmentLock.Release(execution); // refused before it started: as if never asked
            return prepared.Problem;
        }
        return await RunAsync(store, prepared.Value, environmentLock, hold.Fresh, operatorKey, drill, clock, progress, cancellation);
    }

    // Everything a run needs, checked: the decision approved (now, or when this runner's open start of this very run
    // was logged), the runner an operator, the runbook (the one the execution began with, on resume) valid with every
    // template filled, and the plan.
    private static async Task<Result<Prepared>> PrepareAsync(ReleaseStore store, long requestIndex, string? runbookYaml, IStatementSigner operatorKey, string stateFile, bool drill, TimeProvider clock, CancellationToken cancellation)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var work = Path.Combine(store.Root, ".rollproof", "executions", requestIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var runbookPath = Path.Combine(work, "runbook.yaml");
        // An open start admits only the run it began, here: its runbook and a journal with a step in it are in this
        // store, the runbook as amended by then is the one the start names, and drill or not alike. A bare start, a run
        // killed before its first step, or another runbook, needs the approval now.
        bool ThisRun(LoggedPredicate<ExecutionPredicate> start, RollbackPolicy policy) =>
            File.Exists(runbookPath) && new ExecutionJournal(Path.Combine(work, JournalFile)).Read() is { IsOk: true, Value.Count: > 0 }
            && RunbookAmendments.Effective(store, start.Predicate.Request, File.ReadAllBytes(runbookPath), policy, start.Entry.LoggedAt!.Value) is { IsOk: true } effective
            && RunStart.Continues(start.Predicate, Sha256Digest.Of(Encoding.UTF8.GetBytes(effective.Value)).ToString(), drill);
        var allowed = await MayContinueAsync(store, requestIndex, trust.Value.NameOf(operatorKey.PublicKey.KeyId), stateFile, clock, ThisRun, cancellation);
        if (!allowed.IsOk)
            return allowed.Problem;
        var ((request, decision, _), policy, allowedAt, start) = allowed.Value;

        if (File.Exists(runbookPath))
        {
            var started = File.ReadAllText(runbookPath);
            if (runbookYaml is not null && runbookYaml != started)
                return Result<Prepared>.Fail(ErrorCodes.RunbookInvalid, $"execution {requestIndex} started with another runbook ({runbookPath}); resume it as it began");
            var effective = RunbookAmendments.Effective(store, request.Ref, File.ReadAllBytes(runbookPath), policy, allowedAt);
            if (!effective.IsOk)
                return effective.Problem;
            runbookYaml = effective.Value;
        }
        if (runbookYaml is null)
            return Result<Prepared>.Fail(ErrorCodes.InputMissing, $"execution {requestIndex} has not started: give the runbook");
        var runbook = RunbookCheck.Check(runbookYaml);
        if (!runbook.IsOk)
            return runbook.Problem;
        var releases = new RollbackReleases(store, request.Predicate, trust.Value, stateFile);
        var values = await ValuesAsync(releases, request, cancellation);
        if (!values.IsOk)
            return values.Problem;
        var context = new StepContext(values.Value, work, clock) { Rollback = new RollbackScope(store, requestIndex, request.Ref, request.Predicate, policy, decision.CountedApprovers, operatorKey, releases) };
        if (RunbookCheck.Unfilled(runbook.Value, values.Value) is { } unfilled)
            return unfilled;
        return Result<Prepared>.Ok(new Prepared(request, runbook.Value, runbookYaml, runbookPath, context, [.. Engine.Plan(runbook.Value, context)], start));
    }

    /// <summary>
    /// The request's decision and policy, if a run of it may go on now: the decision re-derived from the log is
    /// approved, and <paramref name="runner"/> (a trust-file name) is an operator of the policy it was made under. What
    /// a run logs is signed only while this holds; its record may be logged later (<see cref="MayRecordAsync"/>).
    /// </summary>
    public static async Task<Result<(RequestStatus Status, RollbackPolicy Policy)>> MayRunAsync(ReleaseStore store, long requestIndex, string? runner, string stateFile, TimeProvider clock, CancellationToken cancellation)
    {
        var status = await RollbackDecisions.StatusAsync(store, requestIndex, stateFile, clock, cancellation);
        if (!status.IsOk)
            return status.Problem;
        var (request, decision, _) = status.Value;
        if (decision.Status != DecisionStatus.Approved)
            return Result<(RequestStatus, RollbackPolicy)>.Fail(ErrorCodes.NotApproved, $"request {requestIndex} is {decision.Status.ToString().ToLowerInvariant()}: {string.Join("; ", decision.Unmet.Select(r => $"{r.Rule}: {r.Detail}"))}");
        var policy = PolicyOf(store, request.Predicate);
        if (!policy.IsOk)
            return policy.Problem;
        if (runner is null || !policy.Value.Holds(runner, RollbackRole.Operator))
            return Result<(RequestStatus, RollbackPolicy)>.Fail(ErrorCodes.RoleNotHeld, $"{runner ?? "this key"} is not an operator in {request.Predicate.Environment}, and may not execute rollbacks there");
        return Result<(RequestStatus, RollbackPolicy)>.Ok((status.Value, policy.Value));
    }

    /// <summary>As <see cref="MayRunAsync"/>, judged now: what a run's start must meet.</summary>
    public static async Task<Result<RunAllowance>> MayStartAsync(ReleaseStore store, long requestIndex, string? runner, string stateFile, TimeProvider clock, CancellationToken cancellation)
    {
        var now = await MayRunAsync(store, requestIndex, runner, stateFile, clock, cancellation);
        return now.IsOk ? Result<RunAllowance>.Ok(new RunAllowance(now.Value.Status, now.Value.Policy, clock.GetUtcNow(), null)) : now.Problem;
    }

    /// <summary>
    /// Whether <paramref name="runner"/> may go on with a run of the request (a resume) or log the execution that ends
    /// it: while a run may go on now (<see cref="MayRunAsync"/>), or, once the approval has lapsed, under the run's start
    /// (<see cref="RunStart"/>): the request's last execution is a start signed by the same runner, of the run
    /// <paramref name="continues"/> says this is (given the policy), with no rejection logged after it, and a run was
    /// allowed at its logged time. The start counts only so: one logged while the request was not approved admits
    /// nothing. <see cref="RunAllowance.Start"/> is that start when it counts, so a resume logs no new one.
    /// </summary>
    public static async Task<Result<RunAllowance>> MayContinueAsync(ReleaseStore store, long requestIndex, string? runner, string stateFile, TimeProvider clock, Func<LoggedPredicate<ExecutionPredicate>, RollbackPolicy, bool> continues, CancellationToken cancellation)
    {
        var now = await MayStartAsync(store, requestIndex, runner, stateFile, clock, cancellation);
        if (!now.IsOk && now.Problem.Code != ErrorCodes.NotApproved)
            return now;
        var ledger = new StatementLedger(store);
        var request = ledger.Read<RollbackRequestPredicate>(requestIndex, StatementKinds.RollbackRequest);
        if (!request.IsOk)
            return request.Problem;
        var (executions, approvals) = (ledger.Referring<ExecutionPredicate>(request.Value.Ref, StatementKinds.Execution), ledger.Referring<ApprovalPredicate>(request.Value.Ref, StatementKinds.Approval));
        if (!executions.IsOk)
            return executions.Problem;
        if (!approvals.IsOk)
            return approvals.Problem;
        var open = RunStart.OpenBy(executions.Value, e => e.Predicate, e => e.Entry.Signer, runner);
        bool Counts(RollbackPolicy policy) =>
            open is not null && continues(open, policy) && !RunStart.RejectedAfter(policy, approvals.Value.Select(ApprovalFacts.Of), open.Entry.Index);
        if (now.IsOk)
            return Result<RunAllowance>.Ok(now.Value with { Start = Counts(now.Value.Policy) ? open : null });
        if (open?.Entry.LoggedAt is not { } startedAt)
            return now;
        var then = await MayStartAsync(store, requestIndex, runner, stateFile, new FixedTime(startedAt), cancellation);
        return then.IsOk && Counts(then.Value.Policy) ? Result<RunAllowance>.Ok(then.Value with { Start = open }) : now;
    }

    /// <summary>
    /// Whether <paramref name="runner"/> may log what a run of the request records besides its execution (its
    /// notifications and report): while a run may go on (<see cref="MayRunAsync"/>), or once the runner's own start or
    /// an end of a run was admitted, a run of it allowed at that execution's logged time (or at the end's run's start,
    /// <see cref="RunStart.OfEnd"/>), as verifiers judge executions (<c>EvidencePolicy</c>), and no rejection of the
    /// request was logged after it. The record of a run outlives the approval it ran under; a new run does not.
    /// </summary>
    public static async Task<Result<(RequestStatus Status, RollbackPolicy Policy)>> MayRecordAsync(ReleaseStore store, StatementRef request, string? runner, string stateFile, TimeProvider clock, CancellationToken cancellation)
    {
        var now = await MayRunAsync(store, request.LogIndex, runner, stateFile, clock, cancellation);
        if (now.IsOk || now.Problem.Code != ErrorCodes.NotApproved)
            return now;
        var ledger = new StatementLedger(store);
        var (executions, approvals) = (ledger.Referring<ExecutionPredicate>(request, StatementKinds.Execution), ledger.Referring<ApprovalPredicate>(request, StatementKinds.Approval));
        if (!executions.IsOk)
            return executions.Problem;
        if (!approvals.IsOk)
            return approvals.Problem;
        for (var i = 0; i < executions.Value.Count; i++)
            foreach (var admitting in Admitting(executions.Value, i, runner))
                if (admitting.Entry.LoggedAt is { } at && await MayRunAsync(store, request.LogIndex, runner, stateFile, new FixedTime(at), cancellation) is { IsOk: true } then
                    && !RunStart.RejectedAfter(then.Value.Policy, approvals.Value.Select(ApprovalFacts.Of), admitting.Entry.Index))
                    return then;
        return now;
    }

    // What execution i lets a run's record lean on: a start only if the runner's own; an end itself, or its run's start.
    private static IEnumerable<LoggedPredicate<ExecutionPredicate>> Admitting(IReadOnlyList<LoggedPredicate<ExecutionPredicate>> executions, int i, string? runner)
    {
        var execution = executions[i];
        if (RunStart.Is(execution.Predicate))
            return execution.Entry.Signer == runner ? [execution] : [];
        return RunStart.OfEnd(executions.Take(i), execution, e => e.Predicate, e => e.Entry.Signer) is { } start ? [execution, start] : [execution];
    }

    private static async Task<Result<Execution>> RunAsync(ReleaseStore store, Prepared prepared, IEnvironmentLock environmentLock, bool fresh, IStatementSigner operatorKey, bool drill, TimeProvider clock, IRunProgress progress, CancellationToken cancellation)
    {
        var (request, runbook, runbookYaml, runbookPath, context, plan, start) = prepared;
        var execution = request.Entry.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var executions = new StatementLedger(store).Referring<ExecutionPredicate>(request.Ref, StatementKinds.Execution);
        if (!executions.IsOk)
            return executions.Problem;
        Directory.CreateDirectory(context.WorkDirectory);
        if (!File.Exists(runbookPath))
            DurableFile.Replace(runbookPath, Encoding.UTF8.GetBytes(runbookYaml));
        var journal = new ExecutionJournal(Path.Combine(context.WorkDirectory, JournalFile));
        var before = journal.Read();
        if (!before.IsOk)
            return before.Problem;
        // Every step completed and the run logged: nothing is left to do. Completed but not logged (a crash in
        // between): the run below runs no step and logs it.
        if (runbook.Steps.All(s => ExecutionJournal.Completed(before.Value).ContainsKey(s.Id)) && executions.Value.Any(r => r.Predicate.Outcome == CompletedRollback.Outcome))
        {
            environmentLock.Release(execution);
            return Result<Execution>.Fail(ErrorCodes.RequestInvalid, $"execution {execution} has already completed every step ({journal.Path})");
        }
        // A run the log has not heard start (a new run, or one this runner did not start) starts on it before its first
        // step, while approved: its end is admitted on that start however long it runs. A resume of this runner's open
        // run goes on under the start it has.
        if (start is null && await LogStartAsync(store, request.Ref, runbook, runbookYaml, journal, operatorKey, clock, drill, cancellation) is { IsOk: false } notStarted)
        {
            if (fresh)
                environmentLock.Release(execution); // refused before it started: as if never asked
            return notStarted.Problem;
        }
        var run = await Engine.RunAsync(runbook, journal, context, progress, cancellation);
        if (!run.IsOk)
            return run.Problem;
        if (run.Value.Interrupted)
            return Result<Execution>.Ok(new Execution(request.Entry.Index, plan, run.Value, null));
        CrashPoint.RunDone();
        var logged = await LogAsync(store, request.Ref, runbook, runbookYaml, journal, run.Value, operatorKey, clock, drill, cancellation);
        if (!logged.IsOk)
            return logged.Problem;
        if (run.Value.FailedStep is null)
            environmentLock.Release(execution);
        return Result<Execution>.Ok(new Execution(request.Entry.Index, plan, run.Value, logged.Value));
    }

    /// <summary>The policy a request was made under, read from the log.</summary>
    internal static Result<RollbackPolicy> PolicyOf(ReleaseStore store, RollbackRequestPredicate request)
    {
        var statement = new StatementLedger(store).Read<PolicyPredicate>(request.Policy.LogIndex, StatementKinds.Policy);
        return statement.IsOk ? PolicyYaml.Parse(statement.Value.Predicate.Yaml) : statement.Problem;
    }

    private sealed record Prepared(LoggedPredicate<RollbackRequestPredicate> Request, Runbook Runbook, string RunbookYaml, string RunbookPath, StepContext Context, IReadOnlyList<string> Plan, LoggedPredicate<ExecutionPredicate>? Start);

    // What runbooks may substitute: the rollback's names, versions, the digests of the target the request names and its images by digest,
    // as its statement in the log gives them (never a release record, which anyone with the store can edit).
    private static async Task<Result<IReadOnlyDictionary<string, string>>> ValuesAsync(RollbackReleases releases, LoggedPredicate<RollbackRequestPredicate> request, CancellationToken cancellation)
    {
        var r = request.Predicate;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app"] = r.App, ["environment"] = r.Environment, ["request"] = request.Entry.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["current.version"] = r.Current.Version, ["target.version"] = r.Target.Version, ["target.release"] = r.Target.Release.Digest,
        };
        var target = await releases.TargetAsync(cancellation);
        if (!target.IsOk)
            return target.Problem with { Message = $"the target of request {request.Entry.Index} does not verify: {target.Problem.Message}" };
        foreach (var subject in target.Value.Artifacts)
        {
            var digest = "sha256:" + subject.Digest.GetValueOrDefault("sha256", "");
            values.TryAdd("target.artifact", digest);
            values[$"target.artifact.{subject.Name}"] = digest;
        }
        foreach (var image in target.Value.Images)
        {
            values.TryAdd("target.image", image.Reference);
            values[$"target.image.{image.Name}"] = image.Reference;
        }
        return Result<IReadOnlyDictionary<string, string>>.Ok(values);
    }

    // The runbook and the journal as they are, stored by digest for the statement that names them.
    private static async Task<(string Runbook, string Journal)> StoreDocumentsAsync(ReleaseStore store, string runbookYaml, ExecutionJournal journal, CancellationToken cancellation)
    {
        var runbookDigest = await store.Artifacts.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(runbookYaml)), cancellation);
        Sha256Digest journalDigest;
        await using (var journalFile = File.Exists(journal.Path) ? File.OpenRead(journal.Path) : Stream.Null)
            journalDigest = await store.Artifacts.PutAsync(journalFile, cancellation);
        return (runbookDigest.ToString(), journalDigest.ToString());
    }

    private static async Task<Result<LoggedStatement>> LogStartAsync(ReleaseStore store, StatementRef request, Runbook runbook, string runbookYaml, ExecutionJournal journal, IStatementSigner signer, TimeProvider clock, bool drill, CancellationToken cancellation)
    {
        var (runbookDigest, journalDigest) = await StoreDocumentsAsync(store, runbookYaml, journal, cancellation);
        var predicate = new ExecutionPredicate(request, runbook.Name, runbookDigest, journalDigest, RunStart.Outcome, null, [], drill);
        return await new StatementLedger(store).AppendAsync(RequestStatement.About(request, StatementKinds.Execution, predicate), signer, clock, cancellation);
    }

    private static async Task<Result<LoggedStatement>> LogAsync(ReleaseStore store, StatementRef request, Runbook runbook, string runbookYaml, ExecutionJournal journal, RunResult run, IStatementSigner signer, TimeProvider clock, bool drill, CancellationToken cancellation)
    {
        var (runbookDigest, journalDigest) = await StoreDocumentsAsync(store, runbookYaml, journal, cancellation);
        var steps = runbook.Steps.Select(s =>
        {
            var records = run.Journal.Where(r => r.Step == s.Id).ToList();
            var last = records.LastOrDefault(r => r.Event != StepEvent.Started);
            return new StepRecord(s.Id, s.Uses, last?.Event.ToString().ToLowerInvariant() ?? "not-run", records.FirstOrDefault(r => r.Event == StepEvent.Started)?.At, last?.At, last?.Message,
                last?.Evidence ?? new Dictionary<string, string>());
        }).ToList();
        var predicate = new ExecutionPredicate(request, runbook.Name, runbookDigest, journalDigest, run.FailedStep is null ? CompletedRollback.Outcome : "failed", run.FailedStep, steps, drill);
        var statement = RequestStatement.About(request, StatementKinds.Execution, predicate);
        var logged = await new StatementLedger(store).AppendAsync(statement, signer, clock, cancellation);
        if (logged.IsOk || logged.Problem.Code != ErrorCodes.EntryTooLarge)
            return logged;
        // Captured output can make the statement too large for a log entry: the journal (by digest) keeps it all.
        var trimmed = predicate with { Steps = [.. steps.Select(s => s with { Evidence = s.Evidence.Where(e => e.Key is not ("stdout" or "stderr")).ToDictionary() })] };
        return await new StatementLedger(store).AppendAsync(statement with { Predicate = PredicateJson.Write(trimmed) }, signer, clock, cancellation);
    }
}
