using Rollproof.Common;
using Rollproof.Runbooks;

namespace Rollproof.Tests.Runbooks;

/// <summary>
/// <c>runbook check</c>'s rules, which dry runs and execute apply too: a name no rollback fills (a typo such as
/// <c>{{target.imag}}</c>), a malformed template, an unknown step kind or a bad duration is refused naming the step,
/// the field and the line; what a rollback fills, a step fills itself or an earlier step records is accepted.
/// </summary>
public class RunbookCheckTests
{
    private static string OneStep(string uses, string with) => $"name: r\nsteps:\n  - id: first\n    uses: notify\n    with: {{ phase: internal, file: /tmp/n, message: hello }}\n  - id: roll\n    uses: {uses}\n    with: {with}\n";

    [Theory]
    [InlineData("command", "{ run: 'kubectl set image deploy/app app={{target.imag}}' }", "line 8: steps[1].with.run: {{target.imag}} has no value")]
    [InlineData("command", "{ run: 'kubectl set image deploy/app app={{target.imag}' }", "line 8: steps[1].with.run: '{{target.imag}' opens '{{' and never closes it with '}}'")]
    [InlineData("command", "{ run: 'echo {{ }}' }", "line 8: steps[1].with.run: '{{}}' names nothing")]
    [InlineData("notify", "{ phase: internal, file: /tmp/n, message: 'to {{target image}}' }", "line 8: steps[1].with.message: '{{target image}}' is not a name")]
    [InlineData("command", "{ run: 'echo {{steps.roll.stdout}}' }", "{{steps.roll.stdout}} has no value")]
    [InlineData("command", "{ run: 'echo {{dir}}' }", "{{dir}} has no value")]
    [InlineData("command", "{ run: 'true', timeout: 90x }", "line 8: steps[1].with.timeout: '90x'")]
    [InlineData("teleport", "{ run: 'true' }", "step 'roll' uses 'teleport', which is not a step Rollproof knows")]
    public void A_runbook_that_cannot_run_is_refused_naming_the_step_the_field_and_the_line(string uses, string with, string message)
    {
        var checkedRunbook = RunbookCheck.Check(OneStep(uses, with));

        Assert.Equal(ErrorCodes.RunbookInvalid, checkedRunbook.Problem?.Code);
        Assert.Contains(message, checkedRunbook.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_typo_is_told_the_closest_known_name() =>
        Assert.Contains("did you mean {{target.version}}?", RunbookCheck.Check(OneStep("command", "{ run: 'echo {{target.verison}}' }")).Problem!.Message, StringComparison.Ordinal);

    [Fact]
    public void Rollback_values_artifacts_own_values_earlier_outputs_and_settings_to_come_are_accepted()
    {
        var checkedRunbook = RunbookCheck.Check(OneStep("deploy", "{ local: '{{vars.local}}', slot: blue, port: '8081', run: 'serve {{dir}} {{port}} {{target.artifact.app.tar}} {{steps.first.file}} {{ app }}' }"));

        Assert.True(checkedRunbook.IsOk, checkedRunbook.Problem?.Message);
        Assert.Equal(["local"], RunbookCheck.Settings(checkedRunbook.Value));
    }

    [Fact]
    public void The_default_runbook_passes() => Assert.True(RunbookCheck.Check(RunbookVariables.Default).IsOk);

    [Fact]
    public void An_artifact_the_target_does_not_have_is_found_once_the_rollbacks_values_are_known()
    {
        var runbook = RunbookCheck.Check(OneStep("command", "{ run: 'echo {{target.artifact.app.tgz}}' }")).Value;

        var unfilled = RunbookCheck.Unfilled(runbook, new Dictionary<string, string> { ["target.artifact.app.tar"] = "sha256:00" });

        Assert.Contains("{{target.artifact.app.tgz}} has no value; did you mean {{target.artifact.app.tar}}?", unfilled?.Message, StringComparison.Ordinal);
    }
}
