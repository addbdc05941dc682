using System.Globalization;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Runbooks;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Ctrl-C during a rollback, for real (issue 14: "Ctrl-C exits 130 with no message and leaves the step's child
/// process running"): the command line runs a step that sleeps for five minutes, the test sends it SIGINT once the
/// step has written its pid, and the run must stop the step's process, journal "interrupted", say how to resume, exit
/// 130, and finish on that resume.
/// </summary>
public sealed class InterruptedExecutionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly RollbackGovernance _people;

    public InterruptedExecutionTests() => _people = new RollbackGovernance(_dir.Path);

    private string PidFile => _dir.Combine("step.pid");

    public void Dispose()
    {
        _people.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Sigint_stops_the_steps_process_journals_interrupted_prints_the_resume_command_and_exits_130()
    {
        var store = await _people.StoreWithTwoReleasesAsync();
        var id = (await _people.ApprovedRequestAsync(store, "app")).ToString(CultureInfo.InvariantCulture);
        var journal = new ExecutionJournal(Path.Combine(store.Root, ".rollproof", "executions", id, "journal.jsonl"));

        using var running = RollproofCli.Start(Args("execute", id, store, "--runbook", Runbook()));
        var error = running.StandardError.ReadToEndAsync();
        var output = running.StandardOutput.ReadToEndAsync();
        var sleeper = WaitForPid(running);
        Assert.Equal(0, ExternalProcess.Run("kill", ["-INT", running.Id.ToString(CultureInfo.InvariantCulture)]).ExitCode);
        await running.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var said = await error;
        Assert.True(running.ExitCode == 130, $"exit {running.ExitCode}: {said}{await output}");
        Assert.Contains("[1/1] hang (command) … started", said, StringComparison.Ordinal);
        Assert.Contains("[1/1] hang interrupted after ", said, StringComparison.Ordinal);
        Assert.Contains($"To continue where it stopped, run: rollproof rollback resume {id} --store {store.Root} --key {_people.OperatorKeyFile} --state {_people.Seen}", said, StringComparison.Ordinal);
        Assert.Null(ProcessGroups.GroupOf(sleeper));
        Assert.Equal(("hang", StepEvent.Interrupted), (journal.Read().Value[^1].Step, journal.Read().Value[^1].Event));
        Assert.Equal("interrupted", StateOf(id, store));

        var resumed = RollproofCli.Run(Args("resume", id, store));

        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(StepEvent.Completed, journal.Read().Value[^1].Event);
        Assert.Equal("completed", StateOf(id, store));
        Assert.False(File.Exists(Path.Combine(store.Root, ".rollproof", "locks", "prod.lock")));
    }

    // What `rollback status` says of the request.
    private static string? StateOf(string id, ReleaseStore store)
    {
        var status = RollproofCli.Run(["rollback", "status", id, "--store", store.Root, "--json"]);
        Assert.True(status.ExitCode == 0, status.Error);
        return JsonDocument.Parse(status.Out).RootElement.GetProperty("progress").GetProperty("state").GetString();
    }

    // The step writes its pid (sleep's, after exec) whole, by rename, then sleeps; on resume it finds the file and ends.
    private string Runbook()
    {
        var path = _dir.Combine("runbook.yaml");
        File.WriteAllText(path, $"name: interruptible\nsteps:\n  - id: hang\n    uses: command\n    with:\n      run: if [ -e {PidFile} ]; then echo resumed; else echo $$ > {PidFile}.new && mv {PidFile}.new {PidFile} && exec sleep 300; fi\n      timeout: 10m\n");
        return path;
    }

    private int WaitForPid(System.Diagnostics.Process running)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline && !running.HasExited)
        {
            if (File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile), NumberStyles.None | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var pid))
                return pid;
            Thread.Sleep(10);
        }
        Assert.Fail("the step never wrote its pid");
        return 0;
    }

    private string[] Args(string verb, string id, ReleaseStore store, params string[] more) =>
        ["rollback", verb, id, "--store", store.Root, "--key", _people.OperatorKeyFile, "--state", _people.Seen, .. more];
}
