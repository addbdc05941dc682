using Rollproof.Common;
using Rollproof.Runbooks;
using Rollproof.Runbooks.Steps;
using Rollproof.Testing;

namespace Rollproof.Tests.Runbooks;

public sealed class RunbookTests : IDisposable
{
    private static readonly IReadOnlySet<string> Known = new HashSet<string>(["command"]);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_runbook_reads_its_steps_in_order_with_their_parameters()
    {
        var runbook = RunbookYaml.Parse("name: r\nsteps:\n  - id: a\n    uses: command\n    with: { run: 'echo 1', timeout: 10s }\n  - id: b\n    uses: command\n", Known).Value;

        Assert.Equal(["a", "b"], runbook.Steps.Select(s => s.Id));
        Assert.Equal("echo 1", runbook.Steps[0].With["run"]);
        Assert.Empty(runbook.Steps[1].With);
    }

    [Theory]
    [InlineData("steps:\n  - id: a\n    uses: command\n", "name: is required")]
    [InlineData("name: r\nsteps: []\n", "steps: must be a non-empty list")]
    [InlineData("name: r\nsteps:\n  - id: a\n    uses: command\n  - id: a\n    uses: command\n", "step id 'a' is used twice")]
    [InlineData("name: r\nsteps:\n  - id: a\n    uses: teleport\n", "uses 'teleport', which is not a step Rollproof knows (command)")]
    [InlineData("name: r\nsteps:\n  - id: a\n    uses: command\n    wiht: {}\n", "line 5: steps[0].wiht: is not a known setting")]
    [InlineData("name: r\nsteps:\n  - id: a\n    uses: command\n    with: { run: [1] }\n", "steps[0].with.run: must be a single value")]
    public void Mistakes_are_refused_naming_the_step(string yaml, string message)
    {
        var runbook = RunbookYaml.Parse(yaml, Known);

        Assert.Equal(ErrorCodes.RunbookInvalid, runbook.Problem?.Code);
        Assert.Contains(message, runbook.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_journal_line_torn_by_a_crash_is_ignored_and_completed_steps_are_known()
    {
        var journal = new ExecutionJournal(_dir.Combine("journal.jsonl"));
        journal.Append(new JournalRecord("a", StepEvent.Started, DateTimeOffset.UnixEpoch, null, null));
        journal.Append(new JournalRecord("a", StepEvent.Completed, DateTimeOffset.UnixEpoch, "ok", new Dictionary<string, string> { ["exitCode"] = "0" }));
        journal.Append(new JournalRecord("b", StepEvent.Started, DateTimeOffset.UnixEpoch, null, null));
        File.AppendAllText(journal.Path, "{\"step\":\"b\",\"event\":\"compl");

        var records = journal.Read().Value;

        Assert.Equal(3, records.Count);
        Assert.Equal(["a"], ExecutionJournal.Completed(records).Keys);
    }

    [Fact]
    public void A_torn_last_line_is_cut_before_the_next_append_so_every_line_stays_readable()
    {
        var journal = new ExecutionJournal(_dir.Combine("journal.jsonl"));
        journal.Append(new JournalRecord("a", StepEvent.Started, DateTimeOffset.UnixEpoch, null, null));
        File.AppendAllText(journal.Path, "{\"step\":\"a\",\"event\":\"compl");

        journal.Append(new JournalRecord("a", StepEvent.Started, DateTimeOffset.UnixEpoch, null, null));
        journal.Append(new JournalRecord("a", StepEvent.Completed, DateTimeOffset.UnixEpoch, "ok", null));

        var records = journal.Read();
        Assert.True(records.IsOk, records.Problem?.Message);
        Assert.Equal([StepEvent.Started, StepEvent.Started, StepEvent.Completed], records.Value.Select(r => r.Event));
        Assert.DoesNotContain("compl\"", File.ReadAllText(journal.Path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_journal_that_is_one_torn_line_is_cut_to_nothing_before_the_next_append()
    {
        var journal = new ExecutionJournal(_dir.Combine("journal.jsonl"));
        File.WriteAllText(journal.Path, "{\"step\":\"a\",\"ev");

        journal.Append(new JournalRecord("a", StepEvent.Started, DateTimeOffset.UnixEpoch, null, null));

        Assert.Equal(["a"], journal.Read().Value.Select(r => r.Step));
    }

    [Fact]
    public async Task The_engine_skips_completed_steps_and_stops_at_a_failure()
    {
        var engine = new RunbookEngine(new Dictionary<string, IRunbookStep> { ["command"] = new CommandStep() });
        var marks = _dir.Combine("marks");
        var runbook = RunbookYaml.Parse($"name: r\nsteps:\n  - id: a\n    uses: command\n    with: {{ run: 'echo a >> {marks}' }}\n  - id: b\n    uses: command\n    with: {{ run: 'exit 3' }}\n  - id: c\n    uses: command\n    with: {{ run: 'echo c >> {marks}' }}\n", Known).Value;
        var journal = new ExecutionJournal(_dir.Combine("journal.jsonl"));
        var context = new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System);

        var first = (await engine.RunAsync(runbook, journal, context)).Value;
        var second = (await engine.RunAsync(runbook, journal, context)).Value;

        Assert.Equal(("b", "b"), (first.FailedStep, second.FailedStep));
        Assert.Contains("exited with 3", first.Failure, StringComparison.Ordinal);
        Assert.Equal(["a"], File.ReadAllLines(marks));
    }

    [Fact]
    public async Task A_command_that_runs_out_of_time_leaves_what_it_wrote_in_the_journal()
    {
        var engine = new RunbookEngine(new Dictionary<string, IRunbookStep> { ["command"] = new CommandStep() });
        var runbook = RunbookYaml.Parse("name: r\nsteps:\n  - id: slow\n    uses: command\n    with: { run: 'echo migrating table 1 of 3; exec sleep 300', timeout: 2s }\n", Known).Value;
        var journal = new ExecutionJournal(_dir.Combine("journal.jsonl"));

        var run = (await engine.RunAsync(runbook, journal, new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System))).Value;

        Assert.Equal("slow", run.FailedStep);
        Assert.Contains("did not finish within 00:00:02, and its process group was killed", run.Failure, StringComparison.Ordinal);
        var failed = journal.Read().Value.Single(r => r.Event == StepEvent.Failed);
        Assert.Equal(("timeout", "migrating table 1 of 3\n"), (failed.Evidence!["exitCode"], failed.Evidence["stdout"]));
    }

    [Fact]
    public async Task A_later_step_reads_what_an_earlier_step_recorded_also_after_a_resume()
    {
        var engine = new RunbookEngine(new Dictionary<string, IRunbookStep> { ["command"] = new CommandStep(), ["verify"] = new VerifyStep() });
        var marks = _dir.Combine("marks");
        var runbook = RunbookYaml.Parse($"name: r\nsteps:\n  - id: a\n    uses: command\n    with: {{ run: 'echo out' }}\n  - id: b\n    uses: verify\n    with: {{ run: 'test \"{{{{steps.a.exitCode}}}}\" = 0 && echo \"{{{{steps.a.command}}}}\" >> {marks}', attempts: '1' }}\n", new HashSet<string>(["command", "verify"])).Value;
        var journal = new ExecutionJournal(_dir.Combine("journal.jsonl"));
        var context = new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System);
        // The first step's record is on file already: the run is a resume.
        journal.Append(new JournalRecord("a", StepEvent.Completed, DateTimeOffset.UnixEpoch, "ok", new Dictionary<string, string> { ["exitCode"] = "0", ["command"] = "echo out" }));

        var run = (await engine.RunAsync(runbook, journal, context)).Value;

        Assert.Null(run.FailedStep);
        Assert.Equal(["echo out"], File.ReadAllLines(marks));
    }

    [Fact]
    public async Task A_verify_command_check_passes_on_exit_0_and_fails_with_its_output()
    {
        var context = new StepContext(new Dictionary<string, string> { ["target.version"] = "1.0" }, _dir.Path, TimeProvider.System);

        var passed = await new VerifyStep().RunAsync(new Dictionary<string, string> { ["run"] = "echo signature by {{target.version}} verifies" }, context, CancellationToken.None);
        var failed = await new VerifyStep().RunAsync(new Dictionary<string, string> { ["run"] = "echo does NOT verify; exit 1", ["attempts"] = "2" }, context, CancellationToken.None);
        var late = await new VerifyStep().RunAsync(new Dictionary<string, string> { ["run"] = "sleep 5", ["timeout"] = "1s", ["attempts"] = "1" }, context, CancellationToken.None);

        Assert.True(passed.Succeeded);
        Assert.Equal("signature by 1.0 verifies\n", passed.Evidence["stdout"]);
        Assert.False(failed.Succeeded);
        Assert.Contains("exited with 1: does NOT verify (after 2 attempt(s))", failed.Message, StringComparison.Ordinal);
        Assert.Equal("2", failed.Evidence["attempt"]);
        Assert.False(late.Succeeded);
        Assert.Contains("did not finish within", late.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Templates_fill_known_values_and_leave_unknown_ones_visible()
    {
        var values = new Dictionary<string, string> { ["app"] = "shop", ["target.version"] = "1.4.2" };

        Assert.Equal("deploy shop 1.4.2 {{nope}}", Templates.Apply("deploy {{app}} {{ target.version }} {{nope}}", values));
        Assert.Equal(["nope"], Templates.Unknown("{{app}} {{nope}}", values));
    }
}
