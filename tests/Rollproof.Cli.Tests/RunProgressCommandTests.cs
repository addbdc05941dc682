using System.Text.Json;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Tests;

/// <summary>
/// What `rollback execute` shows while it runs (issue 14: "Steps print only when they finish; a failed step's message
/// drops its output"): plain progress lines on stderr when not on a terminal, stdout left to the result (still one
/// JSON document with --json), and the tail of a failed command's output in its failure.
/// </summary>
public sealed class RunProgressCommandTests : GovernedStoreTests
{
    [Fact]
    public void Execute_prints_each_steps_start_output_and_end_on_stderr_and_a_failure_carries_the_commands_output()
    {
        var runbook = Dir.Combine("runbook.yaml");
        File.WriteAllText(runbook, "name: visible\nsteps:\n  - id: prepare\n    uses: command\n    with: { run: 'echo preparing the rollout' }\n  - id: deploy\n    uses: command\n    with: { run: 'echo applying; echo error: deployments.apps \"shop\" not found >&2; exit 7' }\n");

        var run = Execute(Approved(), runbook);

        Assert.Equal(ExitCodes.VerificationFailed, run.ExitCode);
        var result = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal("failed", result.GetProperty("outcome").GetString());
        var failure = result.GetProperty("failure").GetString()!;
        Assert.Contains("exited with 7\noutput (last lines):\n", failure, StringComparison.Ordinal);
        Assert.Contains("error: deployments.apps \"shop\" not found", failure, StringComparison.Ordinal);
        Assert.Contains("applying", failure, StringComparison.Ordinal);
        Assert.Contains("[1/2] prepare (command) … started\n", run.Error, StringComparison.Ordinal);
        Assert.Contains(" | preparing the rollout\n", run.Error, StringComparison.Ordinal);
        Assert.Contains("[1/2] prepare done in ", run.Error, StringComparison.Ordinal);
        Assert.Contains("[2/2] deploy (command) … started\n", run.Error, StringComparison.Ordinal);
        Assert.Contains("[2/2] deploy failed after ", run.Error, StringComparison.Ordinal);
        Assert.True(run.Error.IndexOf("[1/2] prepare done", StringComparison.Ordinal) < run.Error.IndexOf("[2/2] deploy (command)", StringComparison.Ordinal));
    }
}
