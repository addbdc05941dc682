using System.Globalization;
using Rollproof.Runbooks;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Kills the command line (SIGKILL, with the step's own child process) while it executes each step of a rollback in
/// turn, then resumes: every step ends up completed exactly once in the journal, no completed step runs again, none
/// is skipped, the execution is logged, and the environment's lock is released. Crash injection (ROLLPROOF_CRASH_AT)
/// exists only in the test build's host: the shipped command ignores it.
/// </summary>
public sealed class RollbackCrashTests : IDisposable
{
    private static readonly string[] Steps = ["pause", "snapshot", "deploy", "verify"];
    private readonly TempDirectory _dir = new();
    private readonly RollbackGovernance _people;

    public RollbackCrashTests() => _people = new RollbackGovernance(_dir.Path);

    public void Dispose()
    {
        _people.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Kill_minus_9_during_each_step_then_resume_runs_every_step_to_completion_once()
    {
        var store = await _people.StoreWithTwoReleasesAsync();
        var runbook = Runbook();

        for (var k = 0; k < Steps.Length; k++)
        {
            if (k > 0)
                await _people.DeployAsync(store, "1.1"); // the last trial's rollback completed: 1.0 runs
            var request = await _people.ApprovedRequestAsync(store, "app");
            var id = request.ToString(CultureInfo.InvariantCulture);
            var journal = Path.Combine(store.Root, ".rollproof", "executions", id, "journal.jsonl");

            KillWhenStarted(Steps[k], journal, ["rollback", "execute", id, "--store", store.Root, "--runbook", runbook, "--key", _people.OperatorKeyFile, "--state", _people.Seen]);
            Assert.True(File.Exists(Path.Combine(store.Root, ".rollproof", "locks", "prod.lock")), $"trial {k}: the lock must survive the crash");
            // On a loaded machine the kill may land a step later than asked: the step the crash cut short is the one
            // the journal shows started and not completed.
            var cut = InFlight(journal);
            var resumed = RollproofCli.Run(["rollback", "resume", id, "--store", store.Root, "--key", _people.OperatorKeyFile, "--state", _people.Seen]);

            Assert.True(resumed.ExitCode == 0, $"trial {k}: resume failed: {resumed.Error}");
            var records = new ExecutionJournal(journal).Read().Value;
            Assert.Equal(Steps, records.Where(r => r.Event == StepEvent.Completed).Select(r => r.Step));
            var marks = File.ReadAllLines(_dir.Combine("marks") + "-" + id);
            for (var s = 0; s < Steps.Length; s++)
            {
                var times = marks.Count(m => m == Steps[s]);
                Assert.True(Steps[s] == cut ? times is 1 or 2 : times == 1, $"trial {k}: step {Steps[s]} ran {times} times (cut short: {cut})");
            }
            Assert.False(File.Exists(Path.Combine(store.Root, ".rollproof", "locks", "prod.lock")), $"trial {k}: the lock must be released");
        }
    }

    [Fact]
    public async Task The_shipped_command_ignores_ROLLPROOF_CRASH_AT_which_only_the_test_host_obeys()
    {
        var store = await _people.StoreWithTwoReleasesAsync();
        var runbook = Runbook();
        string[] Execute(long request) => ["rollback", "execute", request.ToString(CultureInfo.InvariantCulture), "--store", store.Root, "--runbook", runbook, "--key", _people.OperatorKeyFile, "--state", _people.Seen];

        var shipped = RollproofCli.Run(Execute(await _people.ApprovedRequestAsync(store, "app")), environment: new Dictionary<string, string> { ["ROLLPROOF_CRASH_AT"] = "step-done:snapshot" });
        await _people.DeployAsync(store, "1.1");
        var testHost = RollproofCli.RunCrashingAt("step-done:snapshot", Execute(await _people.ApprovedRequestAsync(store, "app")));

        Assert.True(shipped.ExitCode == 0, $"the shipped command obeyed ROLLPROOF_CRASH_AT (exit {shipped.ExitCode}): {shipped.Error}");
        Assert.Equal(137, testHost.ExitCode);
        var name = System.Text.Encoding.Unicode.GetBytes("ROLLPROOF_CRASH_AT"); // as a string literal is stored in an assembly
        foreach (var assembly in (string[])["Rollproof.dll", "Rollproof.Cli.dll"])
            Assert.True(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, assembly)).AsSpan().IndexOf(name) < 0, $"{assembly} names ROLLPROOF_CRASH_AT");
    }

    // Each step marks a file named after the request, then takes a moment, so that a kill can land inside it.
    private string Runbook()
    {
        var runbook = _dir.Combine("runbook.yaml");
        File.WriteAllText(runbook, "name: crash-trial\nsteps:\n" + string.Concat(Steps.Select(s =>
            $"  - id: {s}\n    uses: command\n    with:\n      run: echo {s} >> {_dir.Combine("marks")}-{{{{request}}}}; sleep 0.4\n")));
        return runbook;
    }

    private static string? InFlight(string journal)
    {
        var records = new ExecutionJournal(journal).Read().Value;
        var completed = ExecutionJournal.Completed(records);
        return records.Where(r => r.Event == StepEvent.Started && !completed.ContainsKey(r.Step)).Select(r => r.Step).LastOrDefault();
    }

    // Starts the CLI and kills it with SIGKILL as soon as the journal says the step has started.
    private static void KillWhenStarted(string step, string journal, string[] args)
    {
        using var process = RollproofCli.Start(args);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (File.Exists(journal) && new ExecutionJournal(journal).Read() is { IsOk: true, Value: [.., { Event: StepEvent.Started } last] } && last.Step == step)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return;
            }
            Thread.Sleep(10);
        }
        Assert.Fail($"step {step} never started (exit {(process.HasExited ? process.ExitCode : -1)}): {process.StandardError.ReadToEnd()}");
    }
}
