using System.Globalization;
using Rollproof.Cli.Infrastructure;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>
/// Durations beyond their range, quorums nobody can meet and templates nothing fills, as issue 13 found them: each is
/// refused with the option, or the file's line and setting, before anything is logged or locked; an execution stored
/// by an older version with such a value fails cleanly and its lock can still be overridden.
/// </summary>
public sealed class OutOfRangeValuesTests : GovernedStoreTests
{
    private string Locks => Path.Combine(Store, ".rollproof", "locks");

    [Theory]
    [InlineData("99999999d")]
    [InlineData("91d")]
    [InlineData("0s")]
    public void An_approval_expiry_out_of_range_is_a_usage_error_naming_the_option(string expiresIn)
    {
        var request = Request("alice").GetProperty("logIndex").GetInt64();

        var refused = Decide("approve", request, "carol", "--expires-in", expiresIn);

        Assert.Equal(ExitCodes.Usage, refused.ExitCode);
        Assert.Contains($"--expires-in '{expiresIn}' is not a duration from 1s to 90d", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, Status(request).GetProperty("countedApprovers").GetArrayLength());
    }

    [Fact]
    public void Retention_and_dwell_out_of_range_are_usage_errors_naming_the_option()
    {
        var gc = Run("gc", "--store", Store, "--keep", "1", "--retain", "99999999d");
        Assert.Equal(ExitCodes.Usage, gc.ExitCode);
        Assert.Contains("--retain '99999999d' is not a duration from 1s to 3650d", gc.Error, StringComparison.Ordinal);

        var demo = Run("demo", "--workdir", Dir.Combine("demo"), "--dwell", "99999999d");
        Assert.Equal(ExitCodes.Usage, demo.ExitCode);
        Assert.Contains("--dwell '99999999d' is not a duration from 0s to 1d", demo.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("target: { maxAge: 99999999d }", "line 8: target.maxAge: '99999999d' is not a duration from 1s to 3650d")]
    [InlineData("emergency: { breakGlass: [bob], approvals: 0, reviewWithin: 99999999d }", "line 8: emergency.reviewWithin")]
    [InlineData("approvals: { required: 4 }", "line 8: approvals.required: 4 approvals can never be met: roles.approvers and roles.securityApprovers list 3 (alice, carol, dave)")]
    public void A_policy_with_a_window_out_of_range_or_a_quorum_nobody_can_meet_is_refused_with_its_line(string setting, string message)
    {
        File.WriteAllText(Dir.Combine("changed.yaml"), $"environment: prod\nroles:\n  requesters: [alice, bob]\n  approvers: [alice, carol, dave]\n  securityApprovers: [alice]\n  operators: [ops]\n  admins: [root]\n{setting}\npolicyChanges: {{ approvals: 0 }}\n");

        var refused = Run("policy", "set", Dir.Combine("changed.yaml"), "--store", Store, "--key", Key("root"));

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains(message, refused.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ run: 'true', timeout: 60d }", "line 5: steps[0].with.timeout: '60d' is not a duration from 1s to 1d")]
    [InlineData("{ run: 'echo {{target.verison}}' }", "line 5: steps[0].with.run: {{target.verison}} has no value; did you mean {{target.version}}?")]
    public void A_runbook_with_a_timeout_beyond_a_day_or_an_unknown_template_fails_the_dry_run_and_execute_changes_nothing(string with, string message)
    {
        var request = Approved();
        File.WriteAllText(Dir.Combine("runbook.yaml"), $"name: r\nsteps:\n  - id: a\n    uses: command\n    with: {with}\n");
        var log = LogFiles();

        var dryRun = Execute(request, Dir.Combine("runbook.yaml"), "ops", "--dry-run");
        var executed = Execute(request, Dir.Combine("runbook.yaml"));

        foreach (var refused in new[] { dryRun, executed })
        {
            Assert.Equal(ExitCodes.InputError, refused.ExitCode);
            Assert.Contains(message, refused.Error, StringComparison.Ordinal);
        }
        Assert.Equal(log, LogFiles());
        Assert.False(File.Exists(Path.Combine(Locks, "prod.lock")));
        Assert.False(Directory.Exists(Path.Combine(Store, ".rollproof", "executions", request.ToString(CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void An_execution_an_older_version_stored_with_a_timeout_beyond_a_timer_fails_cleanly_and_its_lock_can_be_overridden()
    {
        var request = Approved();
        var id = request.ToString(CultureInfo.InvariantCulture);
        var work = Directory.CreateDirectory(Path.Combine(Store, ".rollproof", "executions", id)).FullName;
        File.WriteAllText(Path.Combine(work, "runbook.yaml"), "name: r\nsteps:\n  - id: a\n    uses: command\n    with: { run: 'true', timeout: 60d }\n");
        Directory.CreateDirectory(Locks);
        File.WriteAllText(Path.Combine(Locks, "prod.lock"), id);

        var resumed = Run("rollback", "resume", id, "--store", Store, "--key", Key("ops"), "--state", State);

        Assert.Equal(ExitCodes.InputError, resumed.ExitCode);
        Assert.Contains("steps[0].with.timeout: '60d' is not a duration from 1s to 1d", resumed.Error, StringComparison.Ordinal);
        Assert.Equal(id, new Runbooks.EnvironmentLock(Locks, "prod").Holder());
        Ok("rollback", "unlock", "--store", Store, "--env", "prod", "--reason", "runbook from an older version cannot run", "--key", Key("root"));
        Assert.False(File.Exists(Path.Combine(Locks, "prod.lock")));
    }

    private string LogFiles() =>
        string.Join("\n", Directory.GetFiles(Path.Combine(Store, "log"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => $"{f} {new FileInfo(f).Length}"));
}
