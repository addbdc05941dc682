using System.Text;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Runbooks;
using Rollproof.Storage;
using Rollproof.Trust;

namespace Rollproof.Rollbacks;

/// <summary>
/// The rules the CLI and the verifiers hold a rollback's own statements to, checked for one signed elsewhere and
/// submitted to a server, through the functions the CLI signs by: a request only as <c>rollback request</c> files it
/// (its signer may ask under the policy in force, which it names; its sides are what the log says ran; its stated
/// risk is the analysis computed again); a run's start only while a run of its request may go on (approved now, by an
/// operator of its policy), the execution that ends a run also on the same operator's start (approved then,
/// <see cref="RunStart"/>), a notification or report also once an execution of it was admitted (approved then); an
/// execution of the runbook that run must run, a report of what the request names; an amendment only as
/// <c>rollback amend</c> makes it; a lock override only by an admin of the environment's policy, with a reason.
/// </summary>
internal static class SubmittedRollbackRules
{
    public static async Task<Problem?> RequestAsync(ReleaseStore store, RollbackRequestPredicate r, string? requester, string stateFile, DateTimeOffset now, CancellationToken cancellation)
    {
        if (RollbackRequester.WhyInvalid(r.Reason, r.Rationale, r.Ticket) is { } invalid)
            return invalid;
        var view = LedgerView.Open(store);
        if (!view.IsOk)
            return view.Problem;
        // Judged as if logged now, at the next index: what ran before it, and the policy in force then.
        var index = view.Value.Size;
        var policy = RollbackDecisions.PolicyAndSides(view.Value, index, r);
        if (!policy.IsOk)
            return policy.Problem;
        if (RollbackRequester.MayRequest(policy.Value.Policy, requester, r.Emergency) is { } refused)
            return refused;
        if (r.TestResultsDigest is { } results && await MissingAsync(store, results, "$.payload.predicate.testResultsDigest", cancellation) is { } missing)
            return missing;
        var risk = await RollbackDecisions.ComputedRiskAsync(view.Value, index, r, stateFile, now, cancellation);
        return risk.IsOk ? null : risk.Problem;
    }

    public static async Task<Problem?> ExecutionAsync(ReleaseStore store, ExecutionPredicate execution, string? runner, string stateFile, TimeProvider clock, CancellationToken cancellation)
    {
        if (execution.Outcome is not (CompletedRollback.Outcome or "failed" or RunStart.Outcome) || (execution.Outcome == "failed") != (execution.FailedStep is not null))
            return new Problem(ErrorCodes.InputMalformed, $"$.payload.predicate.outcome: '{execution.Outcome}' with failedStep '{execution.FailedStep}' is not how a run starts or ends (started, completed, or failed at a step)");
        if (RunStart.Is(execution) && execution.Steps.Count > 0)
            return new Problem(ErrorCodes.InputMalformed, $"$.payload.predicate.steps: a run's start records no step ({execution.Steps.Count} given)");
        // A start is judged as a new run is, now; the end of a run also on its runner's open start of the same runbook and drill flag.
        var run = Named(execution.Request, RunStart.Is(execution)
            ? await RollbackExecutor.MayStartAsync(store, execution.Request.LogIndex, runner, stateFile, clock, cancellation)
            : await RollbackExecutor.MayContinueAsync(store, execution.Request.LogIndex, runner, stateFile, clock, (start, _) => RunStart.Continues(start.Predicate, execution.RunbookDigest, execution.Drill), cancellation), a => a.Status);
        if (!run.IsOk)
            return run.Problem;
        foreach (var (digest, field) in new[] { (execution.RunbookDigest, "runbookDigest"), (execution.JournalDigest, "journalDigest") })
            if (await MissingAsync(store, digest, $"$.payload.predicate.{field}", cancellation) is { } missing)
                return missing;
        return await RunbookOfResumeAsync(store, execution, run.Value.Policy, run.Value.At, cancellation);
    }

    public static async Task<Problem?> NotificationAsync(ReleaseStore store, NotificationPredicate notification, string? notifier, string stateFile, TimeProvider clock, CancellationToken cancellation)
    {
        if (Sha256Digest.Of(Encoding.UTF8.GetBytes(notification.Message)).ToString() != notification.MessageDigest)
            return new Problem(ErrorCodes.InputMalformed, $"$.payload.predicate.messageDigest: {notification.MessageDigest} is not the digest of the message");
        var run = await MayRecordAsync(store, notification.Request, notifier, stateFile, clock, cancellation);
        return run.IsOk ? null : run.Problem;
    }

    public static async Task<Problem?> ReportAsync(ReleaseStore store, ReportPredicate report, string? reporter, string stateFile, TimeProvider clock, CancellationToken cancellation)
    {
        var run = await MayRecordAsync(store, report.Request, reporter, stateFile, clock, cancellation);
        if (!run.IsOk)
            return run.Problem;
        var r = run.Value.Status.Request.Predicate;
        return (report.App, report.Environment, report.From, report.To) == (r.App, r.Environment, r.Current.Version, r.Target.Version)
            ? null
            : new Problem(ErrorCodes.RequestInvalid, $"$.payload.predicate: a report of request {report.Request.LogIndex} is of {r.App} in {r.Environment} from {r.Current.Version} to {r.Target.Version}, as the request says");
    }

    public static Problem? Amendment(ReleaseStore store, AmendmentPredicate amendment, string? amender)
    {
        var expected = RunbookAmendments.MayAmend(store, amendment.Request.LogIndex, amendment.Runbook, amendment.Reason, amender);
        if (!expected.IsOk)
            return expected.Problem;
        return expected.Value == amendment
            ? null
            : new Problem(ErrorCodes.RequestInvalid, $"$.payload.predicate: an amendment of request {amendment.Request.LogIndex} names it and its last, failed execution (log index {expected.Value.Execution.LogIndex}) as the log holds them, that execution's runbook ({expected.Value.OldRunbookDigest}) and the new one's digest");
    }

    public static Problem? LockOverride(ReleaseStore store, LockOverridePredicate lockOverride, string? admin) =>
        Runbooks.LockOverride.MayOverride(store, lockOverride.Environment, lockOverride.Reason, admin);

    // A run of the request may go on now or an execution of it was admitted (RollbackExecutor.MayRecordAsync), and the statement names the request as the log holds it.
    private static async Task<Result<(RequestStatus Status, Policy.RollbackPolicy Policy)>> MayRecordAsync(ReleaseStore store, StatementRef request, string? runner, string stateFile, TimeProvider clock, CancellationToken cancellation) =>
        Named(request, await RollbackExecutor.MayRecordAsync(store, request, runner, stateFile, clock, cancellation), r => r.Status);

    // The statement names the request as the log holds it: index and digest.
    private static Result<T> Named<T>(StatementRef request, Result<T> run, Func<T, RequestStatus> status)
    {
        if (!run.IsOk)
            return run.Problem;
        var logged = status(run.Value).Request.Ref;
        return logged == request
            ? run
            : Result<T>.Fail(ErrorCodes.RequestInvalid, $"$.payload.predicate.request: the digest named is not that of log entry {request.LogIndex} ({logged.Digest})");
    }

    // After a run of the request, a resume runs the runbook the first run logged with every amendment applied (the
    // resume's own rule, RunbookAmendments.Effective, as of when the run was allowed): an execution of any other is no
    // run the CLI would log.
    private static async Task<Problem?> RunbookOfResumeAsync(ReleaseStore store, ExecutionPredicate execution, Policy.RollbackPolicy policy, DateTimeOffset allowedAt, CancellationToken cancellation)
    {
        var executions = new StatementLedger(store).Referring<ExecutionPredicate>(execution.Request, StatementKinds.Execution);
        if (!executions.IsOk)
            return executions.Problem;
        if (executions.Value is not [var first, ..])
            return null;
        var digest = Sha256Digest.Parse(first.Predicate.RunbookDigest);
        var stored = digest.IsOk ? await store.Artifacts.ReadAllAsync(digest.Value, RunbookYaml.MaxSize, cancellation) : digest.Problem;
        if (!stored.IsOk)
            return stored.Problem with { Message = $"the runbook execution {first.Entry.Index} ran: {stored.Problem.Message}" };
        var effective = RunbookAmendments.Effective(store, execution.Request, stored.Value, policy, allowedAt);
        if (!effective.IsOk)
            return effective.Problem;
        var resumed = Sha256Digest.Of(Encoding.UTF8.GetBytes(effective.Value)).ToString();
        return resumed == execution.RunbookDigest
            ? null
            : new Problem(ErrorCodes.RunbookInvalid, $"$.payload.predicate.runbookDigest: a resume of request {execution.Request.LogIndex} runs {resumed} (the runbook execution {first.Entry.Index} ran, as amended), not {execution.RunbookDigest}");
    }

    // A document the statement names by digest must be in the store, where the CLI put it before signing.
    private static async Task<Problem?> MissingAsync(ReleaseStore store, string named, string field, CancellationToken cancellation)
    {
        var digest = Sha256Digest.Parse(named);
        if (!digest.IsOk)
            return digest.Problem with { Message = $"{field}: {digest.Problem.Message}" };
        return await store.Artifacts.ExistsAsync(digest.Value, cancellation)
            ? null
            : new Problem(ErrorCodes.BlobMissing, $"{field}: {named} is not in the store: upload it first (PUT /api/rollproof/v1/blobs/{named})");
    }
}
