using System.Diagnostics;
using System.Globalization;
using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Releases;
using Rollproof.Runbooks;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// One run per execution at a time, for real: two command lines started together on the same request, a resume
/// while the run is under way, and a resume after kill -9. The step waits for a file the test writes only once the
/// other command has ended, so the run is under way for as long as the test needs, whatever the machine's speed.
/// </summary>
public sealed class ConcurrentExecutionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly RollbackGovernance _people;

    public ConcurrentExecutionTests() => _people = new RollbackGovernance(_dir.Path);

    private string Go => _dir.Combine("go");

    private string Marks => _dir.Combine("marks");

    public void Dispose()
    {
        _people.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Two_executions_of_one_request_started_together_run_the_steps_once_and_the_other_names_the_holder()
    {
        var (store, id) = await ApprovedAsync();

        using var first = RollproofCli.Start(Args("execute", id, store, "--runbook", Runbook()));
        using var second = RollproofCli.Start(Args("execute", id, store, "--runbook", Runbook()));
        try
        {
            // Were both let in, both would wait in the step for the file written below: neither would end.
            await Task.WhenAny(first.WaitForExitAsync(), second.WaitForExitAsync()).WaitAsync(TimeSpan.FromMinutes(2));
        }
        finally
        {
            File.WriteAllText(Go, "");
        }
        var loser = first.HasExited ? first : second;
        var winner = loser == first ? second : first;
        await winner.WaitForExitAsync();

        var refusal = await loser.StandardError.ReadToEndAsync();
        Assert.True(winner.ExitCode == 0, await winner.StandardError.ReadToEndAsync());
        Assert.Equal(1, loser.ExitCode);
        Assert.Contains($"prod is being rolled back right now by execution {id} (pid {winner.Id} on {Environment.MachineName}, since ", refusal, StringComparison.Ordinal);
        Assert.Equal(["ran"], File.ReadAllLines(Marks));
        Assert.Equal([RunStart.Outcome, "completed"], Executions(store, id)); // one run: its start and its end
    }

    [Fact]
    public async Task A_resume_or_override_while_the_run_is_under_way_is_refused_and_a_resume_after_kill_minus_9_finishes_it()
    {
        var (store, id) = await ApprovedAsync();
        var journal = Path.Combine(store.Root, ".rollproof", "executions", id, "journal.jsonl");

        using (var running = RollproofCli.Start(Args("execute", id, store, "--runbook", Runbook())))
        {
            try
            {
                WaitUntilStarted(journal, running);
                var refused = RollproofCli.Run(Args("resume", id, store));
                Assert.Equal(1, refused.ExitCode);
                Assert.Contains($"(pid {running.Id} on {Environment.MachineName}", refused.Error, StringComparison.Ordinal);
                var overridden = await LockOverride.ReleaseAsync(store, "prod", "while it runs", _people.Operator, TimeProvider.System);
                Assert.Equal(ErrorCodes.EnvironmentLocked, overridden.Problem?.Code); // a run under way is never overridden
            }
            finally
            {
                await KillAsync(running);
            }
        }
        File.WriteAllText(Go, "");
        var resumed = RollproofCli.Run(Args("resume", id, store));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(["ran", "ran"], File.ReadAllLines(Marks)); // the step under way at the kill runs again, as steps may
        Assert.Equal([RunStart.Outcome, "completed"], Executions(store, id)); // one run: its start and its end
        Assert.False(File.Exists(Path.Combine(store.Root, ".rollproof", "locks", "prod.lock")));
    }

    [Fact]
    public async Task A_journal_whose_last_line_a_crash_tore_is_resumed_to_the_end()
    {
        var (store, id) = await ApprovedAsync();
        using (var running = RollproofCli.Start(Args("execute", id, store, "--runbook", Runbook())))
        {
            var journal = Path.Combine(store.Root, ".rollproof", "executions", id, "journal.jsonl");
            try
            {
                WaitUntilStarted(journal, running);
            }
            finally
            {
                await KillAsync(running);
            }
            File.AppendAllText(journal, "{\"step\":\"wait\",\"event\":\"compl");
        }
        File.WriteAllText(Go, "");

        var resumed = RollproofCli.Run(Args("resume", id, store));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal([RunStart.Outcome, "completed"], Executions(store, id)); // one run: its start and its end
    }

    private async Task<(ReleaseStore Store, string Id)> ApprovedAsync()
    {
        var store = await _people.StoreWithTwoReleasesAsync();
        return (store, (await _people.ApprovedRequestAsync(store, "app")).ToString(CultureInfo.InvariantCulture));
    }

    private string Runbook()
    {
        var path = _dir.Combine("runbook.yaml");
        File.WriteAllText(path, $"name: one-at-a-time\nsteps:\n  - id: wait\n    uses: command\n    with:\n      run: echo ran >> {Marks}; while [ ! -e {Go} ]; do sleep 0.05; done\n      timeout: 5m\n");
        return path;
    }

    private string[] Args(string verb, string id, ReleaseStore store, params string[] more) =>
        ["rollback", verb, id, "--store", store.Root, "--key", _people.OperatorKeyFile, "--state", _people.Seen, .. more];

    // The outcomes of the execution statements the log holds for the request, in log order.
    private static string[] Executions(ReleaseStore store, string id)
    {
        var request = new StatementLedger(store).Read<Rollbacks.RollbackRequestPredicate>(long.Parse(id, CultureInfo.InvariantCulture), StatementKinds.RollbackRequest).Value;
        return [.. new StatementLedger(store).Referring<ExecutionPredicate>(request.Ref, StatementKinds.Execution).Value.Select(e => e.Predicate.Outcome)];
    }

    // SIGKILL, as a crash ends it, with the step's shell.
    private static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    private static void WaitUntilStarted(string journal, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (File.Exists(journal) && new ExecutionJournal(journal).Read() is { IsOk: true, Value: [.., { Event: StepEvent.Started }] })
                return;
            Thread.Sleep(10);
        }
        Assert.Fail($"the step never started: {process.StandardError.ReadToEnd()}");
    }
}
