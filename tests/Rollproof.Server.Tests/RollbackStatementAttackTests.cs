using System.Net;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Risk;
using Rollproof.Runbooks;
using Rollproof.Trust;

namespace Rollproof.Server.Tests;

/// <summary>
/// Rollback statements the CLI would never sign, each signed with a key the trust DOES let sign its kind and
/// submitted to a real server: requests whose sides or stated risk the log contradicts or whose signer may not ask,
/// executions, reports and notifications of a request nobody approved, amendments of a run that never failed, lock
/// overrides the policy does not allow. Each is refused with a 4xx problem+json naming the rule, the log unchanged.
/// </summary>
public sealed class RollbackStatementAttackTests(SubmissionServer served) : IClassFixture<SubmissionServer>
{
    private ServedSubmissions Submissions => new(served.Server.Http, served.Team);

    [Fact]
    public async Task A_request_whose_from_release_was_not_deployed_as_it_says_is_refused()
    {
        var r = Logged<RollbackRequestPredicate>(served.Request, StatementKinds.RollbackRequest);
        // 1.0's deployment passed off as what put 1.1 in place.
        var forged = r with { Current = r.Current with { Deployment = r.Target.Deployment } };

        await Submissions.AssertRefusedAsync(Request(forged, "alice"), "alice", HttpStatusCode.BadRequest, ErrorCodes.RequestInconsistent, "log index");
    }

    [Fact]
    public async Task A_request_whose_target_never_ran_there_is_refused()
    {
        var r = Logged<RollbackRequestPredicate>(served.Request, StatementKinds.RollbackRequest);
        var forged = r with { Target = r.Target with { Version = "0.9" } };

        await Submissions.AssertRefusedAsync(Request(forged, "alice"), "alice", HttpStatusCode.BadRequest, ErrorCodes.RequestInconsistent, "0.9");
    }

    [Fact]
    public async Task A_request_stating_less_risk_than_the_analysis_gives_is_refused()
    {
        var r = Logged<RollbackRequestPredicate>(served.Request, StatementKinds.RollbackRequest);
        // An assessment with no findings, stored where the server keeps blobs, and summarised faithfully: only the analysis contradicts it.
        var calm = RiskAssessment.Of([]);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(calm, PredicateJson.Options);
        var digest = Storage.Sha256Digest.Of(bytes).ToString();
        using (var put = await Submissions.SendAsync(HttpMethod.Put, $"api/rollproof/v1/blobs/{digest}", "alice", new ByteArrayContent(bytes)))
            Assert.True(put.IsSuccessStatusCode, $"blob upload: {put.StatusCode}");
        Assert.NotEqual(RiskLevel.Low, r.Risk.Level); // 1.1 → 1.0 with a lower version has findings; this attack hides them

        await Submissions.AssertRefusedAsync(Request(r with { Risk = RiskSummary.Of(calm, digest) }, "alice"), "alice", HttpStatusCode.BadRequest, ErrorCodes.RequestInconsistent, "inconsistent with the log");
    }

    [Fact]
    public async Task A_request_by_someone_the_policy_does_not_let_request_is_refused()
    {
        // carol's key may sign requests (she is an approver), but prod's policy names only alice as a requester.
        var r = Logged<RollbackRequestPredicate>(served.Request, StatementKinds.RollbackRequest);

        await Submissions.AssertRefusedAsync(Request(r, "carol"), "carol", HttpStatusCode.Forbidden, ErrorCodes.RoleNotHeld, "may not request rollbacks in prod");
    }

    [Fact]
    public async Task An_execution_of_a_request_nobody_approved_is_refused()
    {
        var execution = new ExecutionPredicate(served.Request, "rollback", Digest('a'), Digest('b'), CompletedRollback.Outcome, null, []);

        await Submissions.AssertRefusedAsync(About(StatementKinds.Execution, execution, "ops"), "ops", HttpStatusCode.BadRequest, ErrorCodes.NotApproved, $"request {served.Request.LogIndex} is pending");
    }

    [Fact]
    public async Task A_report_of_an_execution_that_never_ran_is_refused()
    {
        var report = new ReportPredicate(served.Request, "doc-signer", "prod", "1.1", "1.0", new Dictionary<string, string>(), [], new Dictionary<string, string>(), ["carol", "dave"]);

        await Submissions.AssertRefusedAsync(About(StatementKinds.Report, report, "ops"), "ops", HttpStatusCode.BadRequest, ErrorCodes.NotApproved, $"request {served.Request.LogIndex} is pending");
    }

    [Fact]
    public async Task A_notification_of_a_rollback_that_may_not_run_is_refused()
    {
        const string message = "prod is being rolled back to 1.0";
        var notification = new NotificationPredicate(served.Request, "customers", message, Storage.Sha256Digest.Of(System.Text.Encoding.UTF8.GetBytes(message)).ToString(), "file notices.log");

        await Submissions.AssertRefusedAsync(About(StatementKinds.Notification, notification, "ops"), "ops", HttpStatusCode.BadRequest, ErrorCodes.NotApproved, $"request {served.Request.LogIndex} is pending");
    }

    [Fact]
    public async Task An_amendment_of_a_run_that_never_failed_is_refused()
    {
        const string runbook = "name: fixed\nsteps:\n  - id: say\n    uses: command\n    with: { run: \"true\" }\n";
        var amendment = new AmendmentPredicate(served.Request, served.Request, Digest('c'), Storage.Sha256Digest.Of(System.Text.Encoding.UTF8.GetBytes(runbook)).ToString(), "typo in step 3", runbook);

        await Submissions.AssertRefusedAsync(About(StatementKinds.RollbackAmendment, amendment, "ops"), "ops", HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid, "no failed execution to amend");
    }

    [Theory]
    [InlineData("prod", " ", ErrorCodes.InputMalformed, "needs a reason")]
    [InlineData("staging", "stuck since Tuesday", ErrorCodes.PolicyMissing, "staging")]
    public async Task A_lock_override_the_rules_do_not_allow_is_refused(string environment, string reason, string code, string named)
    {
        var statement = new InTotoStatement(
            [new Subject($"lock:{environment}", new Dictionary<string, string> { ["sha256"] = new string('d', 64) })],
            StatementKinds.PredicateType(StatementKinds.LockOverride), PredicateJson.Write(new LockOverridePredicate(environment, "7", reason)));

        await Submissions.AssertRefusedAsync(statement.Sign(served.Team.Keys["root"]).ToJson(), "root", HttpStatusCode.BadRequest, code, named);
    }

    [Fact]
    public async Task A_statement_about_one_request_whose_signed_subject_names_another_is_refused()
    {
        // Signed over as request 0's (the first release's entry): the CLI binds a statement to the request it names.
        var execution = new ExecutionPredicate(served.Request, "rollback", Digest('a'), Digest('b'), "failed", "say", []);
        var statement = RequestStatement.About(served.Release, StatementKinds.Execution, execution);

        await Submissions.AssertRefusedAsync(statement.Sign(served.Team.Keys["ops"]).ToJson(), "ops", HttpStatusCode.BadRequest, ErrorCodes.RequestInvalid, "$.subject");
    }

    private byte[] Request(RollbackRequestPredicate predicate, string signer) =>
        new InTotoStatement(
            [new Subject($"current-release:{predicate.Current.Release.LogIndex}", new Dictionary<string, string> { ["sha256"] = predicate.Current.Release.Digest["sha256:".Length..] }),
             new Subject($"target-release:{predicate.Target.Release.LogIndex}", new Dictionary<string, string> { ["sha256"] = predicate.Target.Release.Digest["sha256:".Length..] })],
            StatementKinds.PredicateType(StatementKinds.RollbackRequest), PredicateJson.Write(predicate)).Sign(served.Team.Keys[signer]).ToJson();

    private byte[] About<T>(string kind, T predicate, string signer) =>
        RequestStatement.About(served.Request, kind, predicate).Sign(served.Team.Keys[signer]).ToJson();

    private T Logged<T>(StatementRef at, string kind) where T : class
    {
        var store = Releases.ReleaseStore.Open(served.Team.Store).Value;
        return new StatementLedger(store).Read<T>(at.LogIndex, kind).Value.Predicate;
    }

    private static string Digest(char fill) => "sha256:" + new string(fill, 64);
}
