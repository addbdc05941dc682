using System.Globalization;
using System.Text;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Evidence;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Signing;
using Rollproof.Testing;
using Rollproof.Trust;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A rollback run outlives the approval it started under: carol's, dave's and erin's approvals expire an hour after
/// they are logged, and the run's clock passes that while its steps run (a canary's dwell). The run's logged start,
/// approved then, admits the execution it logs at its end; the evidence verifies. An operator who wants an execution
/// logged for a run that was never approved when it started, or on another request's or another operator's start, or
/// on a start logged after the approval lapsed, or twice on one start, is refused by the rules the CLI and the server
/// apply before appending (<see cref="SubmittedStatementRules"/>) and by <c>evidence verify</c>. ops2 is a second
/// operator of prod.
/// </summary>
public sealed class LongRunApprovalTests : GovernedStoreTests
{
    private DateTimeOffset _approvedAt;

    public LongRunApprovalTests()
    {
        Keys["ops2"] = PrivateKey.Generate(KeyAlgorithm.EcdsaP256);
        File.WriteAllText(Dir.Combine("ops2.pub"), Keys["ops2"].PublicKey.ToPem());
        Ok("trust", "add", "--store", Store, "--name", "ops2", "--public-key", Dir.Combine("ops2.pub"), "--kind", "execution,notification,report", "--key", Key("root"));
        File.WriteAllText(Dir.Combine("policy2.yaml"), File.ReadAllText(Dir.Combine("policy.yaml")).Replace("operators: [ops]", "operators: [ops, ops2]", StringComparison.Ordinal));
        Ok("policy", "set", Dir.Combine("policy2.yaml"), "--store", Store, "--key", Key("root"));
    }

    private DateTimeOffset Started => _approvedAt.AddMinutes(5);

    private DateTimeOffset Lapsed => _approvedAt.AddHours(2);

    [Fact]
    public async Task A_run_whose_approvals_expire_while_it_runs_logs_its_execution_and_its_evidence_verifies()
    {
        var request = ApprovedForAnHour();
        var clock = new MovingClock(_approvedAt.AddMinutes(1));

        var executed = await RunAsync(request, clock, new MovesClockAfterFirstStep(clock, Lapsed));

        AssertLoggedAfterLapseAndVerifies(request, executed);
    }

    [Fact]
    public async Task The_rules_admit_the_end_of_a_run_on_its_operators_start_and_on_nothing_else()
    {
        var first = ApprovedForAnHour();
        var second = ApprovedForAnHour();
        var never = Request("alice").GetProperty("logIndex").GetInt64();
        Assert.Null(await CheckAsync(Execution(first, RunStart.Outcome), "ops", Started));
        await AppendAsync(Execution(first, RunStart.Outcome), "ops", Started);
        // Logged past the rules (as whoever holds the log key can): a start while the request was pending.
        await AppendAsync(Execution(never, RunStart.Outcome), "ops", Started);

        Assert.Null(await CheckAsync(Execution(first, CompletedRollback.Outcome), "ops", Lapsed));
        await AssertRefusedAsync(Execution(first, CompletedRollback.Outcome), "ops2", Lapsed, ErrorCodes.NotApproved, $"request {first} is pending");
        await AssertRefusedAsync(Execution(second, CompletedRollback.Outcome), "ops", Lapsed, ErrorCodes.NotApproved, $"request {second} is pending");
        await AssertRefusedAsync(Execution(never, CompletedRollback.Outcome), "ops", Lapsed, ErrorCodes.NotApproved, $"request {never} is pending");
        await AssertRefusedAsync(Execution(first, RunStart.Outcome), "ops", Lapsed, ErrorCodes.NotApproved, $"request {first} is pending");
        await AssertRefusedAsync(Execution(first, RunStart.Outcome) with { Predicate = PredicateJson.Write(Predicate(first, CompletedRollback.Outcome) with { Outcome = RunStart.Outcome }) }, "ops", Started,
            ErrorCodes.InputMalformed, "a run's start records no step");

        // The end closes the start: another end is a new run, which needs the approval now.
        await AppendAsync(Execution(first, "failed"), "ops", Lapsed);
        await AssertRefusedAsync(Execution(first, CompletedRollback.Outcome), "ops", Lapsed, ErrorCodes.NotApproved, $"request {first} is pending");
    }

    [Fact]
    public async Task Evidence_refuses_an_execution_on_no_start_of_its_run_allowed_then()
    {
        var (otherOperator, lapsedStart, twice, noStart, neverApproved, unchanged) = (ApprovedForAnHour(), ApprovedForAnHour(), ApprovedForAnHour(), ApprovedForAnHour(), Request("alice").GetProperty("logIndex").GetInt64(), ApprovedForAnHour());
        foreach (var request in new[] { otherOperator, twice })
            await AppendAsync(Execution(request, RunStart.Outcome), "ops", Started);
        var startWhilePending = await AppendAsync(Execution(neverApproved, RunStart.Outcome), "ops", Started);
        await AppendAsync(Execution(unchanged, CompletedRollback.Outcome), "ops", Started); // a run logged as before starts were: judged at its own time
        await AppendAsync(Execution(twice, "failed"), "ops", Started.AddMinutes(5));
        var refused = new Dictionary<long, long>
        {
            [otherOperator] = await AppendAsync(Execution(otherOperator, CompletedRollback.Outcome), "ops2", Lapsed),
            [lapsedStart] = await AppendAsync(Execution(lapsedStart, RunStart.Outcome), "ops", Lapsed),
            [twice] = await AppendAsync(Execution(twice, CompletedRollback.Outcome), "ops", Lapsed),
            [noStart] = await AppendAsync(Execution(noStart, CompletedRollback.Outcome), "ops", Lapsed),
        };
        await AppendAsync(Execution(lapsedStart, CompletedRollback.Outcome), "ops", Lapsed);
        await AppendAsync(Execution(neverApproved, CompletedRollback.Outcome), "ops", Lapsed);
        refused[neverApproved] = startWhilePending;

        foreach (var (request, execution) in refused)
        {
            var verified = Evidence(request);
            Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
            Assert.Contains($"error {ErrorCodes.EvidenceInvalid}: {EvidenceLayout.EntryPath(execution, StatementKinds.Execution, ".dsse.json")}: the policy (log index", verified.Error, StringComparison.Ordinal);
            Assert.Contains("did not allow this execution at its logged time", verified.Error, StringComparison.Ordinal);
        }
        var kept = Evidence(unchanged);
        Assert.True(kept.ExitCode == ExitCodes.Ok, kept.Error);
    }

    [Fact]
    public async Task A_start_alone_admits_no_run_after_the_approval_lapsed_only_the_continuation_of_its_own_run()
    {
        var bare = ApprovedForAnHour();
        await AppendAsync(Execution(bare, RunStart.Outcome), "ops", Started); // a start logged with no run behind it

        var executed = await RunAsync(bare, new MovingClock(Lapsed), NoRunProgress.Instance);

        Assert.Equal(ErrorCodes.NotApproved, executed.Problem?.Code);
        Assert.False(File.Exists(Path.Combine(Store, ".rollproof", "executions", bare.ToString(CultureInfo.InvariantCulture), "journal.jsonl")), "no step ran");
    }

    [Fact]
    public async Task An_interrupted_run_resumes_on_its_start_after_the_approval_lapsed_but_not_as_a_drill()
    {
        var request = ApprovedForAnHour();
        var clock = new MovingClock(_approvedAt.AddMinutes(1));
        using var interrupt = new CancellationTokenSource();
        var interrupted = await RunAsync(request, clock, new MovesClockAfterFirstStep(clock, Lapsed, interrupt), cancellation: interrupt.Token);
        Assert.True(interrupted.IsOk && interrupted.Value.Run!.Interrupted, interrupted.Problem?.ToString());

        var asDrill = await RunAsync(request, clock, NoRunProgress.Instance, drill: true);
        var resumed = await RunAsync(request, clock, NoRunProgress.Instance);

        Assert.Equal(ErrorCodes.NotApproved, asDrill.Problem?.Code);
        AssertLoggedAfterLapseAndVerifies(request, resumed);
    }

    [Fact]
    public async Task A_rejection_logged_after_the_start_stops_the_resume_of_an_interrupted_run()
    {
        var request = ApprovedForAnHour();
        var clock = new MovingClock(_approvedAt.AddMinutes(1));
        using var interrupt = new CancellationTokenSource();
        await RunAsync(request, clock, new MovesClockAfterFirstStep(clock, Lapsed, interrupt), cancellation: interrupt.Token);
        await AppendAsync(RequestStatement.About(Ref(request), StatementKinds.Approval, new ApprovalPredicate(Ref(request), ApprovalDecision.Reject, [], null, "stop")), "carol", Started);

        var resumed = await RunAsync(request, clock, NoRunProgress.Instance);

        Assert.Equal(ErrorCodes.NotApproved, resumed.Problem?.Code);
        Assert.Contains($"request {request} is rejected", resumed.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_admits_no_end_of_another_runbook_or_drill_flag()
    {
        var request = ApprovedForAnHour();
        await AppendAsync(Execution(request, RunStart.Outcome), "ops", Started);
        var drill = RequestStatement.About(Ref(request), StatementKinds.Execution, Predicate(request, CompletedRollback.Outcome) with { Drill = true });
        var otherRunbook = RequestStatement.About(Ref(request), StatementKinds.Execution, Predicate(request, CompletedRollback.Outcome, "name: other\nsteps: []\n"));

        await AssertRefusedAsync(drill, "ops", Lapsed, ErrorCodes.NotApproved, $"request {request} is pending");
        await AssertRefusedAsync(otherRunbook, "ops", Lapsed, ErrorCodes.NotApproved, $"request {request} is pending");
        var end = await AppendAsync(drill, "ops", Lapsed);
        AssertEvidenceRefuses(request, end);
    }

    [Fact]
    public async Task A_rejection_logged_after_the_start_stops_the_end_and_the_runs_record()
    {
        var request = ApprovedForAnHour();
        await AppendAsync(Execution(request, RunStart.Outcome), "ops", Started);
        await AppendAsync(RequestStatement.About(Ref(request), StatementKinds.Approval, new ApprovalPredicate(Ref(request), ApprovalDecision.Reject, [], null, "stop")), "carol", Started.AddMinutes(1));

        await AssertRefusedAsync(Execution(request, CompletedRollback.Outcome), "ops", Lapsed, ErrorCodes.NotApproved, $"request {request} is");
        var recorded = await RollbackExecutor.MayRecordAsync(ReleaseStore.Open(Store).Value, Ref(request), "ops", State, new FixedClock(Lapsed), CancellationToken.None);
        Assert.False(recorded.IsOk);
        var end = await AppendAsync(Execution(request, CompletedRollback.Outcome), "ops", Lapsed);
        AssertEvidenceRefuses(request, end);
    }

    [Fact]
    public async Task Another_operators_start_admits_no_record_of_a_run_after_the_approval_lapsed()
    {
        var request = ApprovedForAnHour();
        await AppendAsync(Execution(request, RunStart.Outcome), "ops", Started);
        var store = ReleaseStore.Open(Store).Value;

        Assert.True((await RollbackExecutor.MayRecordAsync(store, Ref(request), "ops", State, new FixedClock(Lapsed), CancellationToken.None)).IsOk);
        var other = await RollbackExecutor.MayRecordAsync(store, Ref(request), "ops2", State, new FixedClock(Lapsed), CancellationToken.None);
        Assert.Equal(ErrorCodes.NotApproved, other.Problem?.Code);
    }

    [Fact]
    public async Task No_amendment_is_logged_while_a_start_is_open()
    {
        var request = ApprovedForAnHour();
        await AppendAsync(Execution(request, RunStart.Outcome), "ops", Started);
        await AppendAsync(Execution(request, "failed"), "ops", Started.AddMinutes(1));
        var store = ReleaseStore.Open(Store).Value;
        Assert.True(RunbookAmendments.MayAmend(store, request, CanaryRunbook, "fixed", "ops").IsOk);
        await AppendAsync(Execution(request, RunStart.Outcome), "ops", Started.AddMinutes(2)); // the resume's start

        var amended = RunbookAmendments.MayAmend(store, request, CanaryRunbook, "fixed", "ops");

        Assert.Equal(ErrorCodes.RequestInvalid, amended.Problem?.Code);
        Assert.Contains("start", amended.Problem!.Message, StringComparison.Ordinal);
    }

    // A request by alice approved by carol, dave and erin, each approval expiring an hour after it is logged.
    private long ApprovedForAnHour()
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();
        foreach (var approver in new[] { "carol", "dave", "erin" })
            Assert.Equal(ExitCodes.Ok, Decide("approve", request, approver, "--expires-in", "1h").ExitCode);
        _approvedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()); // the log's timestamps are whole seconds
        return request;
    }

    private async Task<Result<Execution>> RunAsync(long request, TimeProvider clock, IRunProgress progress, bool drill = false, CancellationToken cancellation = default)
    {
        return await RollbackExecutor.ExecuteAsync(ReleaseStore.Open(Store).Value, request, CanaryRunbook, Keys["ops"], State, dryRun: false, drill, clock, progress, cancellation);
    }

    private const string CanaryRunbook = "name: canary\nsteps:\n  - { id: shift, uses: command, with: { run: 'echo shifted' } }\n  - { id: promote, uses: command, with: { run: 'echo promoted' } }\n";

    // The run completed, its end logged after the approvals lapsed, and its evidence verifies.
    private void AssertLoggedAfterLapseAndVerifies(long request, Result<Execution> run)
    {
        Assert.True(run.IsOk, run.Problem?.ToString());
        Assert.Null(run.Value.Run!.FailedStep);
        Assert.Equal(Lapsed, run.Value.Logged!.Timestamp?.Time);
        var verified = Evidence(request);
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Error);
    }

    private void AssertEvidenceRefuses(long request, long execution)
    {
        var verified = Evidence(request);
        Assert.Equal(ExitCodes.VerificationFailed, verified.ExitCode);
        Assert.Contains($"{EvidenceLayout.EntryPath(execution, StatementKinds.Execution, ".dsse.json")}: the policy (log index", verified.Error, StringComparison.Ordinal);
    }

    private StatementRef Ref(long request) => StatementRef.Of(request, LogEntry(request));

    private ExecutionPredicate Predicate(long request, string outcome, string runbookYaml = "name: canary\nsteps: []\n")
    {
        var store = ReleaseStore.Open(Store).Value;
        string Put(string text) => store.Artifacts.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))).GetAwaiter().GetResult().ToString();
        var (runbook, journal) = (Put(runbookYaml), Put(""));
        var steps = outcome == RunStart.Outcome ? [] : new[] { new StepRecord("shift", "command", outcome, _approvedAt, _approvedAt, null, new Dictionary<string, string>()) };
        return new ExecutionPredicate(Ref(request), "canary", runbook, journal, outcome, outcome == "failed" ? "shift" : null, steps);
    }

    private InTotoStatement Execution(long request, string outcome) => RequestStatement.About(Ref(request), StatementKinds.Execution, Predicate(request, outcome));

    private Task<Problem?> CheckAsync(InTotoStatement statement, string signer, DateTimeOffset at) =>
        SubmittedStatementRules.CheckAsync(ReleaseStore.Open(Store).Value, StatementKinds.Execution, statement, signer, State, new FixedClock(at));

    private async Task AssertRefusedAsync(InTotoStatement statement, string signer, DateTimeOffset at, string code, string named)
    {
        var problem = await CheckAsync(statement, signer, at);
        Assert.Equal(code, problem?.Code);
        Assert.Contains(named, problem!.Message, StringComparison.Ordinal);
    }

    // Appended as of the time given without the rules' check (the local ledger appends what its signer may sign).
    private async Task<long> AppendAsync(InTotoStatement statement, string signer, DateTimeOffset at)
    {
        var logged = await new StatementLedger(ReleaseStore.Open(Store).Value).AppendAsync(statement, Keys[signer], new FixedClock(at));
        Assert.True(logged.IsOk, logged.Problem?.ToString());
        return logged.Value.Ref.LogIndex;
    }

    private CliRunner.Outcome Evidence(long request)
    {
        var package = Dir.Combine($"evidence-{request}.zip");
        var exported = Run("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", package);
        return exported.ExitCode != ExitCodes.Ok ? exported : Run("evidence", "verify", package, "--trust", Path.Combine(Store, "trust.json"));
    }

    // The dwell of a long step: once the first step ends, the run's clock is past the approvals' expiry (and the run is
    // interrupted there, given an interrupt).
    private sealed class MovesClockAfterFirstStep(MovingClock clock, DateTimeOffset to, CancellationTokenSource? interrupt = null) : IRunProgress
    {
        public void StepStarted(StepInRun started)
        {
        }

        public void OutputLine(StepInRun running, OutputChannel channel, string line)
        {
        }

        public void StepFinished(StepInRun finished, StepEnd outcome, TimeSpan elapsed, string message)
        {
            if (finished.Number != 1)
                return;
            clock.MoveTo(to);
            interrupt?.Cancel();
        }
    }
}
