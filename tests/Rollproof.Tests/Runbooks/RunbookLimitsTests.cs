using Rollproof.Common;
using Rollproof.Runbooks;
using Rollproof.Runbooks.Steps;

namespace Rollproof.Tests.Runbooks;

/// <summary>
/// Durations and counts in a runbook are refused when it is read, naming the line, so a dry run fails on them; and a
/// template nothing fills is found before anything runs, naming the step, the field and the name.
/// </summary>
public class RunbookLimitsTests
{
    private static readonly IReadOnlySet<string> Known = new HashSet<string>(["command", "deploy", "verify", "drain", "canary"]);

    [Theory]
    [InlineData("command", "timeout: 60d", "line 5: steps[0].with.timeout: '60d' is not a duration from 1s to 1d")]
    [InlineData("command", "timeout: 99999999d", "steps[0].with.timeout: '99999999d' is not a duration from 1s to 1d")]
    [InlineData("drain", "grace: 25h", "steps[0].with.grace: '25h'")]
    [InlineData("verify", "latency: 0s", "steps[0].with.latency: '0s'")]
    [InlineData("canary", "dwell: 2d", "steps[0].with.dwell: '2d' is not a duration from 0s to 1d")]
    [InlineData("verify", "attempts: 1000000000", "steps[0].with.attempts: '1000000000' is not a whole number from 1 to 100")]
    [InlineData("verify", "attempts: 0", "steps[0].with.attempts: '0'")]
    public void A_duration_or_count_out_of_range_is_refused_with_its_line(string uses, string setting, string message)
    {
        var runbook = RunbookYaml.Parse($"name: r\nsteps:\n  - id: a\n    uses: {uses}\n    with: {{ {setting} }}\n", Known);

        Assert.Equal(ErrorCodes.RunbookInvalid, runbook.Problem?.Code);
        Assert.Contains(message, runbook.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_values_are_read() =>
        Assert.True(RunbookYaml.Parse("name: r\nsteps:\n  - id: a\n    uses: canary\n    with: { dwell: 0s, timeout: 24h, attempts: 100 }\n", Known).IsOk);

    [Fact]
    public async Task A_step_given_a_timeout_beyond_a_timer_fails_cleanly_instead_of_crashing()
    {
        var outcome = await new CommandStep().RunAsync(new Dictionary<string, string> { ["run"] = "true", ["timeout"] = "60d" }, new StepContext(new Dictionary<string, string>(), Path.GetTempPath(), TimeProvider.System), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("timeout '60d' is not a duration from 1s to 1d", outcome.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ run: 'echo {{target.verison}}' }", "line 5: steps[0].with.run: {{target.verison}} has no value; did you mean {{target.version}}?")]
    [InlineData("{ run: 'echo {{steps.b.dir}}' }", "line 5: steps[0].with.run: {{steps.b.dir}} has no value")]
    public void A_template_nothing_fills_is_found_naming_step_field_and_name(string with, string message)
    {
        var runbook = RunbookYaml.Parse($"name: r\nsteps:\n  - id: a\n    uses: command\n    with: {with}\n  - id: b\n    uses: command\n    with: {{ run: 'echo {{{{steps.a.stdout}}}}' }}\n", Known).Value;

        var unfilled = RunbookCheck.Unfilled(runbook, Values);

        Assert.Equal(ErrorCodes.RunbookInvalid, unfilled?.Code);
        Assert.Contains(message, unfilled!.Message, StringComparison.Ordinal);
        Assert.EndsWith("(step 'a')", unfilled.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rollback_values_a_steps_own_values_and_an_earlier_steps_outputs_are_filled()
    {
        var runbook = RunbookYaml.Parse("name: r\nsteps:\n  - id: d\n    uses: deploy\n    with: { run: 'serve {{dir}} {{ port }}', version: '{{target.version}}' }\n  - id: v\n    uses: command\n    with: { run: 'check {{steps.d.directory}}' }\n", Known).Value;

        Assert.Null(RunbookCheck.Unfilled(runbook, Values));
    }

    private static readonly Dictionary<string, string> Values = new() { ["target.version"] = "1.0", ["app"] = "a" };
}
