using System.Net;
using System.Text;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Trust;

namespace Rollproof.Server.Tests;

/// <summary>
/// What a run logs besides its execution (its notifications and report) is judged as verifiers judge the run: by
/// whether an execution of the request was admitted (approved at its logged time, by an operator), not by whether the
/// approval still holds; and the execution that ends a run, by whether its operator's start of that run was
/// (<see cref="RunStart"/>). A real server; carol's and dave's approvals expire a few seconds after they are logged.
/// </summary>
public sealed class RunRecordAfterApprovalExpiryTests : IAsyncLifetime
{
    private RemoteTeam Team { get; } = new();
    private ServeProcess server = null!;
    private StatementRef request = null!;

    private ServedSubmissions Submissions => new(server.Http, Team);

    public async Task InitializeAsync()
    {
        server = await ServeProcess.StartAsync(Team.Store, Team.ServeOptions);
        var index = Team.FileRequest(Team.Server(server.Url), Team.Dir.Combine("seen"));
        var store = Releases.ReleaseStore.Open(Team.Store).Value;
        request = StatementRef.Of(index, Transparency.LogEntries.Read(store.Log.Storage, index, store.Log.ReadCheckpoint().Value.Checkpoint.Size).Value);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Team.Dispose();
    }

    [Fact]
    public async Task A_report_and_a_notification_of_an_admitted_execution_are_logged_after_the_approval_expired()
    {
        var (expires, runbook, journal) = await ApprovedForSecondsAsync();
        await AcceptedAsync(About(StatementKinds.Execution, new ExecutionPredicate(request, "rollback", runbook, journal, CompletedRollback.Outcome, null, [])), "ops");

        await PastAsync(expires);
        var report = new ReportPredicate(request, "doc-signer", "prod", "1.1", "1.0", new Dictionary<string, string>(), [], new Dictionary<string, string>(), ["carol", "dave"]);
        await AcceptedAsync(About(StatementKinds.Report, report), "ops");
        const string message = "prod was rolled back to 1.0";
        var notification = new NotificationPredicate(request, "customers", message, Storage.Sha256Digest.Of(Encoding.UTF8.GetBytes(message)).ToString(), "file notices.log");
        await AcceptedAsync(About(StatementKinds.Notification, notification), "ops");

        // A new run is not admitted by the old one: it needs the approval to hold now.
        await Submissions.AssertRefusedAsync(About(StatementKinds.Execution, new ExecutionPredicate(request, "rollback", runbook, journal, CompletedRollback.Outcome, null, [])), "ops",
            HttpStatusCode.BadRequest, ErrorCodes.NotApproved, $"request {request.LogIndex} is");
    }

    [Fact]
    public async Task The_end_of_a_run_is_logged_on_its_start_after_the_approval_expired_and_only_once()
    {
        var (expires, runbook, journal) = await ApprovedForSecondsAsync();
        ExecutionPredicate Run(string name, string outcome) => new(request, name, runbook, journal, outcome, null, []);
        await AcceptedAsync(About(StatementKinds.Execution, Run("rollback", RunStart.Outcome)), "ops");

        await PastAsync(expires);
        // A start now is a new run, which needs the approval to hold now.
        await Submissions.AssertRefusedAsync(About(StatementKinds.Execution, Run("rollback", RunStart.Outcome)), "ops",
            HttpStatusCode.BadRequest, ErrorCodes.NotApproved, $"request {request.LogIndex} is");
        await AcceptedAsync(About(StatementKinds.Execution, Run("rollback", CompletedRollback.Outcome)), "ops");
        // That end closed the start: another end would be of a new run.
        await Submissions.AssertRefusedAsync(About(StatementKinds.Execution, Run("rollback again", CompletedRollback.Outcome)), "ops",
            HttpStatusCode.BadRequest, ErrorCodes.NotApproved, $"request {request.LogIndex} is");
    }

    // carol and dave approve the request for a few seconds; the runbook and journal a run names are uploaded.
    private async Task<(DateTimeOffset Expires, string Runbook, string Journal)> ApprovedForSecondsAsync()
    {
        var expires = DateTimeOffset.UtcNow.AddSeconds(4);
        foreach (var approver in new[] { "carol", "dave" })
            await AcceptedAsync(Approval(expires).Sign(Team.Keys[approver]).ToJson(), approver);
        return (expires, await BlobAsync("name: rollback\nsteps: []\n"), await BlobAsync(""));
    }

    // Waiting for the wall clock to pass the approvals' expiry is the scenario itself, not synchronisation.
    private static async Task PastAsync(DateTimeOffset expires)
    {
        while (DateTimeOffset.UtcNow <= expires.AddSeconds(1))
            await Task.Delay(250);
    }

    private async Task AcceptedAsync(byte[] envelope, string person)
    {
        using var answer = await Submissions.SubmitAsync(envelope, person);
        Assert.True(answer.IsSuccessStatusCode, $"{person}'s statement: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    private async Task<string> BlobAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var digest = Storage.Sha256Digest.Of(bytes).ToString();
        using var put = await Submissions.SendAsync(HttpMethod.Put, $"api/rollproof/v1/blobs/{digest}", "ops", new ByteArrayContent(bytes));
        Assert.True(put.IsSuccessStatusCode, $"blob upload: {put.StatusCode}");
        return digest;
    }

    private InTotoStatement Approval(DateTimeOffset expires) =>
        new([StatementSubjects.For("statement:", request)], StatementKinds.PredicateType(StatementKinds.Approval),
            PredicateJson.Write(new ApprovalPredicate(request, ApprovalDecision.Approve, [], expires, "approved for a short while")));

    private byte[] About<T>(string kind, T predicate) => RequestStatement.About(request, kind, predicate).Sign(Team.Keys["ops"]).ToJson();
}
