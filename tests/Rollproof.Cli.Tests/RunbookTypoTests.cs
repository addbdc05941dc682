using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// A runbook with a typo in a template is found when it is checked, by a dry run, and by execute before anything is
/// locked, stored or logged: <c>{{target.imag}}</c> (issue 14) and a template never closed, which passed the dry run
/// and was run as written.
/// </summary>
public sealed class RunbookTypoTests : GovernedStoreTests
{
    private const string Typo = "kubectl set image deploy/app app={{target.imag}}";
    private const string Unclosed = "kubectl set image deploy/app app={{target.version}";

    private string Runbook(string run)
    {
        var path = Dir.Combine($"typo-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"name: typo\nsteps:\n  - id: announce\n    uses: command\n    with: {{ run: 'true' }}\n  - id: roll\n    uses: command\n    with:\n      run: '{run}'\n");
        return path;
    }

    [Theory]
    [InlineData(Typo, "{{target.imag}} has no value")]
    [InlineData(Unclosed, "'{{target.version}' opens '{{' and never closes it")]
    public void A_dry_run_and_execute_refuse_a_runbook_with_a_bad_template_before_anything_is_locked_or_logged(string run, string message)
    {
        var request = Approved();
        var runbook = Runbook(run);
        var size = LogSize();

        var dryRun = Execute(request, runbook, more: "--dry-run");
        var executed = Execute(request, runbook);

        foreach (var refused in new[] { dryRun, executed })
        {
            Assert.Equal(ExitCodes.InputError, refused.ExitCode);
            Assert.Contains($"line 9: steps[1].with.run: {message}", refused.Error, StringComparison.Ordinal);
            Assert.Contains("(step 'roll')", refused.Error, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(Path.Combine(Store, ".rollproof", "executions")));
        Assert.False(File.Exists(Path.Combine(Store, ".rollproof", "locks", "prod.lock")));
        Assert.Equal(size, LogSize());
    }

    [Fact]
    public void Runbook_check_names_the_step_field_and_line_and_passes_a_good_runbook_with_a_summary()
    {
        var bad = Run("runbook", "check", Runbook(Typo), "--json");
        var good = Run("runbook", "check", Runbook("echo {{target.version}} {{vars.where}}"), "--json");
        var filled = Run("runbook", "check", Runbook("echo {{target.version}} {{vars.where}}"), "--set", "where=/srv");
        var unfilled = Run("runbook", "check", Runbook("echo {{vars.where}} {{vars.who}}"), "--set", "where=/srv");

        Assert.Equal(ExitCodes.InputError, bad.ExitCode);
        Assert.Contains("line 9: steps[1].with.run: {{target.imag}} has no value", JsonDocument.Parse(bad.Out).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, good.ExitCode);
        var summary = JsonDocument.Parse(good.Out).RootElement;
        Assert.Equal(["announce", "roll"], summary.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(["where"], summary.GetProperty("settings").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(ExitCodes.Ok, filled.ExitCode);
        Assert.StartsWith("runbook 'typo' is valid: 2 steps", filled.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, unfilled.ExitCode);
        Assert.Contains("--set who=…", unfilled.Error, StringComparison.Ordinal);
    }

    private long LogSize() => Releases.ReleaseStore.Open(Store).Value.Log.ReadCheckpoint().Value.Checkpoint.Size;
}
