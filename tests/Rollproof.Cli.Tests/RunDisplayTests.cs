using Rollproof.Cli.Commands.Rollbacks.Progress;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Tests;

/// <summary>How a run's progress is drawn: the live status on a terminal, and plain lines that show a chatty command's output at most every few seconds.</summary>
public sealed class RunDisplayTests
{
    private static readonly StepInRun Deploy = new(3, 12, "deploy", "command");

    [Fact]
    public async Task On_a_terminal_a_step_ends_with_a_line_and_output_with_markup_characters_is_shown_as_text()
    {
        var error = new StringWriter();
        var cli = new CliContext(new StringWriter(), error, interactive: true);

        var result = await RunDisplay.RunAsync(cli, asJson: false, progress =>
        {
            progress.StepStarted(Deploy);
            progress.OutputLine(Deploy, OutputChannel.Stdout, "deployment \"shop\" [1/3 replicas] rolled out");
            ((LiveRunProgress)progress).Refresh();
            progress.StepFinished(Deploy, StepEnd.Completed, TimeSpan.FromSeconds(4.2), "ok");
            return Task.FromResult(42);
        });

        Assert.Equal(42, result);
        Assert.Contains("[3/12] deploy done in 4.2s", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_lines_show_a_steps_first_output_line_at_once_and_then_at_most_one_per_interval()
    {
        var error = new StringWriter();
        var clock = new SteppedClock();
        using var progress = new PlainRunProgress(error, clock);

        progress.StepStarted(Deploy);
        progress.OutputLine(Deploy, OutputChannel.Stdout, "waiting for rollout");
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.OutputLine(Deploy, OutputChannel.Stdout, "1 of 3 updated");
        clock.Advance(PlainRunProgress.Interval);
        progress.OutputLine(Deploy, OutputChannel.Stderr, "3 of 3 updated");
        progress.StepFinished(Deploy, StepEnd.Failed, TimeSpan.FromSeconds(75), "no");

        Assert.Equal(
            ["[3/12] deploy (command) … started", "[3/12] deploy 0.0s | waiting for rollout", "[3/12] deploy 6.0s | 3 of 3 updated", "[3/12] deploy failed after 1m15s"],
            error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A clock whose timestamps move only when told.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
