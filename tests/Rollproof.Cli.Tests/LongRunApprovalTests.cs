using System.Globalization;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Runbooks;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A rollback run outlives the approval it started under: carol's, dave's and erin's approvals expire an hour after
/// they are logged, and the run's clock passes that while its steps run (a canary's dwell). The run's logged start,
/// approved then, admits the execution it logs at its end; the evidence verifies.
/// </summary>
public sealed class LongRunApprovalTests : GovernedStoreTests
{
    private DateTimeOffset approvedAt;

    private DateTimeOffset Lapsed => approvedAt.AddHours(2);

    [Fact]
    public async Task A_run_whose_approvals_expire_while_it_runs_logs_its_execution_and_its_evidence_verifies()
    {
        var request = ApprovedForAnHour();
        var clock = new MovingClock(approvedAt.AddMinutes(1));

        var executed = await RunAsync(request, clock, new MovesClockAfterFirstStep(clock, Lapsed));

        Assert.True(executed.IsOk, executed.Problem?.ToString());
        Assert.Null(executed.Value.Run!.FailedStep);
        Assert.Equal(Lapsed, executed.Value.Logged!.Timestamp?.Time);
        var verified = Evidence(request);
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Error);
    }

    // A request by alice approved by carol, dave and erin, each approval expiring an hour after it is logged.
    private long ApprovedForAnHour()
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();
        foreach (var approver in new[] { "carol", "dave", "erin" })
            Assert.Equal(ExitCodes.Ok, Decide("approve", request, approver, "--expires-in", "1h").ExitCode);
        approvedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()); // the log's timestamps are whole seconds
        return request;
    }

    private async Task<Result<Execution>> RunAsync(long request, TimeProvider clock, IRunProgress progress)
    {
        var runbook = $"name: canary\nsteps:\n  - {{ id: shift, uses: command, with: {{ run: 'echo shifted' }} }}\n  - {{ id: promote, uses: command, with: {{ run: 'echo promoted' }} }}\n";
        return await RollbackExecutor.ExecuteAsync(ReleaseStore.Open(Store).Value, request, runbook, Keys["ops"], State, dryRun: false, drill: false, clock, progress, CancellationToken.None);
    }

    private CliRunner.Outcome Evidence(long request)
    {
        var package = Dir.Combine($"evidence-{request}.zip");
        var exported = Run("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", package);
        return exported.ExitCode != ExitCodes.Ok ? exported : Run("evidence", "verify", package, "--trust", Path.Combine(Store, "trust.json"));
    }

    // The dwell of a long step: once the first step ends, the run's clock is past the approvals' expiry.
    private sealed class MovesClockAfterFirstStep(MovingClock clock, DateTimeOffset to) : IRunProgress
    {
        public void StepStarted(StepInRun started)
        {
        }

        public void OutputLine(StepInRun running, OutputChannel channel, string line)
        {
        }

        public void StepFinished(StepInRun finished, StepEnd outcome, TimeSpan elapsed, string message)
        {
            if (finished.Number == 1)
                clock.MoveTo(to);
        }
    }
}
