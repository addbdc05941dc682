using System.Collections.Concurrent;
using System.Globalization;
using Rollproof.Common;
using Rollproof.Runbooks;
using Rollproof.Runbooks.Steps;
using Rollproof.Testing;

namespace Rollproof.Tests.Runbooks;

/// <summary>
/// What an operator sees of a run as it goes (issue 14, "Operators see the run"): each step's start and end, its
/// output lines while it runs, the tail of that output in a failure's message, secrets blanked everywhere they show,
/// and a cancelled run that stops the step's processes and journals "interrupted".
/// </summary>
public sealed class RunProgressTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Steps_report_start_output_and_end_and_a_failure_message_carries_the_tail_of_the_output()
    {
        var engine = new RunbookEngine(new Dictionary<string, IRunbookStep> { ["command"] = new CommandStep() });
        var runbook = Read("name: r\nsteps:\n  - id: a\n    uses: command\n    with: { run: 'echo hello; echo careful >&2' }\n  - id: b\n    uses: command\n    with: { run: 'for i in $(seq 1 100); do echo line $i; done; exit 4' }\n");
        var seen = new Recorder();

        var run = (await engine.RunAsync(runbook, Journal(), Context(), seen, CancellationToken.None)).Value;

        Assert.Equal("b", run.FailedStep);
        Assert.Equal("started 1/2 a command", seen.Events[0]);
        Assert.Contains("line a stdout hello", seen.Events);
        Assert.Contains("line a stderr careful", seen.Events);
        Assert.Equal(["finished a Completed", "started 2/2 b command"], seen.Events.Skip(3).Take(2));
        Assert.Equal("finished b Failed", seen.Events[^1]);
        Assert.Equal(106, seen.Events.Count);
        // The last 20 lines, in the order written, and a count of those left out.
        Assert.Contains("exited with 4\noutput (last lines):\n[80 earlier line(s) left out]\nline 81\n", run.Failure, StringComparison.Ordinal);
        Assert.EndsWith("line 100", run.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_the_step_was_given_is_blanked_in_its_output_lines_failure_message_and_journal()
    {
        const string Secret = "hunter2-correct-horse";
        var file = _dir.Combine("db-password");
        File.WriteAllText(file, Secret + "\n");
        var engine = new RunbookEngine(new Dictionary<string, IRunbookStep> { ["echoing"] = new EchoingClient() });
        var runbook = Read($"name: r\nsteps:\n  - id: db\n    uses: echoing\n    with: {{ password: 'file:{file}' }}\n", "echoing");
        var journal = Journal();
        var seen = new Recorder();

        var run = (await engine.RunAsync(runbook, journal, Context(), seen, CancellationToken.None)).Value;

        Assert.Contains("line db stderr connecting with password ***", seen.Events);
        Assert.Contains("connecting with password ***", run.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Join('\n', seen.Events), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, run.Failure, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, File.ReadAllText(journal.Path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_run_stops_the_steps_process_group_journals_interrupted_and_resumes_from_that_step()
    {
        var engine = new RunbookEngine(new Dictionary<string, IRunbookStep> { ["command"] = new CommandStep() });
        var marks = _dir.Combine("marks");
        var runbook = Read($"name: r\nsteps:\n  - id: hang\n    uses: command\n    with: {{ run: 'if [ -e {marks} ]; then exit 0; fi; touch {marks}; echo $$; exec sleep 300' }}\n");
        var journal = Journal();
        using var stop = new CancellationTokenSource();
        var pid = 0;
        // The step prints its pid (sleep's, after exec) once it runs: the run is cancelled on that line, not after a wait.
        var seen = new Recorder(line =>
        {
            pid = int.Parse(line, CultureInfo.InvariantCulture);
            stop.Cancel();
        });

        var run = (await engine.RunAsync(runbook, journal, Context(), seen, stop.Token)).Value;

        Assert.True(run.Interrupted);
        Assert.Equal("hang", run.FailedStep);
        var last = journal.Read().Value[^1];
        Assert.Equal(("hang", StepEvent.Interrupted), (last.Step, last.Event));
        Assert.StartsWith("interrupted (SIGINT or SIGTERM) while under way", last.Message, StringComparison.Ordinal);
        Assert.Equal("finished hang Interrupted", seen.Events[^1]);
        Assert.Null(ProcessGroups.GroupOf(pid));
        var resumed = (await engine.RunAsync(runbook, journal, Context())).Value;
        Assert.Null(resumed.FailedStep);
        Assert.Equal(StepEvent.Completed, journal.Read().Value[^1].Event);
    }

    private ExecutionJournal Journal() => new(_dir.Combine("journal.jsonl"));

    private StepContext Context() => new(new Dictionary<string, string>(), _dir.Path, TimeProvider.System);

    private static Runbook Read(string yaml, string kind = "command") => RunbookYaml.Parse(yaml, new HashSet<string>([kind])).Value;

    /// <summary>A database client that, like some do on an error, prints the password it was handed in its environment.</summary>
    private sealed class EchoingClient : IRunbookStep
    {
        public string Uses => "echoing";

        public string Describe(IReadOnlyDictionary<string, string> parameters, StepContext context) => "echoes its password";

        public async Task<StepOutcome> RunAsync(IReadOnlyDictionary<string, string> parameters, StepContext context, CancellationToken cancellation)
        {
            var password = SecretReference.Parse(parameters["password"], "password").Value.Resolve().Value;
            var ran = await ExternalProgram.RunAsync("/bin/sh", ["-c", "echo connecting with password $PGPASSWORD >&2; exit 1"], TimeSpan.FromMinutes(1), cancellation,
                environment: new Dictionary<string, string> { ["PGPASSWORD"] = password }, onOutput: context.OnOutput);
            return StepOutcome.Failed($"the client exited with {ran.ExitCode}: {ran.Error.Trim()}", new Dictionary<string, string> { ["stderr"] = ran.Error });
        }
    }

    private sealed class Recorder(Action<string>? onFirstLine = null) : IRunProgress
    {
        private readonly ConcurrentQueue<string> _events = new();
        private int _lines;

        public IReadOnlyList<string> Events => [.. _events];

        public void StepStarted(StepInRun started) => _events.Enqueue($"started {started.Number}/{started.Total} {started.Id} {started.Uses}");

        public void OutputLine(StepInRun running, OutputChannel channel, string line)
        {
            _events.Enqueue($"line {running.Id} {channel.ToString().ToLowerInvariant()} {line}");
            if (Interlocked.Increment(ref _lines) == 1)
                onFirstLine?.Invoke(line);
        }

        public void StepFinished(StepInRun finished, StepEnd outcome, TimeSpan elapsed, string message) => _events.Enqueue($"finished {finished.Id} {outcome}");
    }
}
