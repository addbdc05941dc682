using System.Text;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Rollbacks;
using Rollproof.Rollbacks.Policy;
using Rollproof.Runbooks;
using Rollproof.Testing;
using Rollproof.Trust;

namespace Rollproof.Server.Tests;

/// <summary>
/// A run's start admits one end (<see cref="RunStart"/>), and whether an end is the first after its start depends on
/// the order of the log: two ends of one start submitted together, after the approval lapsed, must not both pass that
/// check before either is appended. The intake's seam between check and append holds the first until the second has
/// been checked too, so the interleaving is the same on every run (<see cref="StatementIntake"/>).
/// </summary>
public sealed class ConcurrentRunEndsTests
{
    [Fact]
    public async Task Two_ends_of_one_start_submitted_together_log_one()
    {
        using var team = new RemoteTeam();
        var (store, request) = await StoppedServerRequest.FileAsync(team);
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);
        string Put(string text) => store.Artifacts.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))).GetAwaiter().GetResult().ToString();
        var (runbook, journal) = (Put("name: rollback\nsteps: []\n"), Put(""));
        byte[] Execution(string outcome, string? failedStep) =>
            RequestStatement.About(request, StatementKinds.Execution, new ExecutionPredicate(request, "rollback", runbook, journal, outcome, failedStep, [])).Sign(team.Keys["ops"]).ToJson();
        using (var approving = new StatementIntake(store, TimeProvider.System, team.Dir.Combine("intake-state")))
        {
            foreach (var approver in new[] { "carol", "dave" })
                Assert.True((await approving.SubmitAsync(RequestStatement.About(request, StatementKinds.Approval, new ApprovalPredicate(request, ApprovalDecision.Approve, [], expires, "for ten minutes")).Sign(team.Keys[approver]).ToJson())).IsOk);
            Assert.True((await approving.SubmitAsync(Execution(RunStart.Outcome, null))).IsOk);
        }

        // Held as the server holds it: one writer takes concurrent appends.
        var later = new FixedClock(expires.AddHours(1));
        await using var writer = store.Log.HoldWriter(clock: later).Value;
        var bothChecked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var checkedCount = 0;
        using var lapsed = new StatementIntake(store, later, team.Dir.Combine("intake-state"))
        {
            AfterCheck = async cancellation =>
            {
                if (Interlocked.Increment(ref checkedCount) == 2)
                    bothChecked.SetResult();
                await bothChecked.Task.WaitAsync(cancellation);
            },
        };
        var ends = await Task.WhenAll(lapsed.SubmitAsync(Execution(CompletedRollback.Outcome, null)), lapsed.SubmitAsync(Execution("failed", "step")));

        Assert.Single(ends, e => e.IsOk);
        Assert.Equal(ErrorCodes.NotApproved, Assert.Single(ends, e => !e.IsOk).Problem?.Code);
    }
}
