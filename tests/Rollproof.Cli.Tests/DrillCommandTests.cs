using System.Globalization;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>Drills in a staging environment, and the default emergency runbook with its --set values.</summary>
public sealed class DrillCommandTests : GovernedStoreTests
{
    public DrillCommandTests()
    {
        File.WriteAllText(Dir.Combine("staging.yaml"), """
            environment: staging
            roles: { requesters: [ops], approvers: [alice], operators: [ops], admins: [root] }
            approvals: { required: 0, securityApproverFrom: critical, securityApproverForSecurityFindings: false }
            policyChanges: { approvals: 0 }
            """);
        Ok("policy", "set", Dir.Combine("staging.yaml"), "--store", Store, "--key", Key("root"));
        foreach (var version in (string[])["1.0", "1.1"])
            Ok("deploy", "record", "--store", Store, "--env", "staging", "--app", "doc-signer", "--version", version, "--key", Key("ops"), "--state", State);
        File.WriteAllText(Dir.Combine("drill.yaml"), $"name: rehearsal\nsteps:\n  - id: deploy\n    uses: command\n    with: {{ run: 'echo {{{{environment}}}} {{{{target.version}}}} >> {Dir.Combine("drilled")}' }}\n");
    }

    [Fact]
    public void A_drill_files_a_request_in_staging_runs_the_runbook_and_logs_the_execution_as_a_drill()
    {
        var drill = Run("drill", "--store", Store, "--env", "staging", "--to", "1.0", "--runbook", Dir.Combine("drill.yaml"), "--key", Key("ops"), "--state", State, "--json");

        Assert.True(drill.ExitCode == ExitCodes.Ok, drill.Error);
        var output = JsonDocument.Parse(drill.Out).RootElement;
        Assert.Equal("completed", output.GetProperty("outcome").GetString());
        Assert.Equal(["staging 1.0"], File.ReadAllLines(Dir.Combine("drilled")));
        var execution = Statement(output.GetProperty("logIndex").GetInt64());
        Assert.True(execution.GetProperty("predicate").GetProperty("drill").GetBoolean());
        var request = Statement(output.GetProperty("request").GetInt64()).GetProperty("predicate");
        Assert.Equal(("staging", "other"), (request.GetProperty("environment").GetString(), request.GetProperty("reason").GetString()));
        Assert.StartsWith("drill:", request.GetProperty("rationale").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("DRILL-", request.GetProperty("ticket").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_drill_where_the_policy_needs_approvals_leaves_the_request_for_approval_and_runs_nothing()
    {
        var drill = Run("drill", "--store", Store, "--env", "prod", "--to", "1.0", "--runbook", Dir.Combine("drill.yaml"), "--key", Key("alice"), "--state", State, "--ticket", "INC-1");

        Assert.Equal(ExitCodes.VerificationFailed, drill.ExitCode);
        Assert.Contains("drills run where the policy requires none", drill.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Dir.Combine("drilled")));
    }

    [Fact]
    public void The_default_runbook_needs_its_values_and_names_every_missing_one_before_anything_starts()
    {
        var request = Approved();

        var refused = Run("rollback", "execute", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--key", Key("ops"), "--state", State, "--set", "socket=/run/haproxy.sock", "--set", "backend=app");
        var badSetting = Run("rollback", "execute", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--key", Key("ops"), "--state", State, "--set", "no-equals-sign");

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains("--set notify-dir=…", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("--set socket=", refused.Error, StringComparison.Ordinal);
        Assert.Contains("is not NAME=VALUE", badSetting.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Store, ".rollproof", "executions", request.ToString(CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void The_default_runbook_printed_is_a_valid_runbook_once_its_values_are_set()
    {
        var printed = Ok("runbook", "default").Out;
        var names = System.Text.RegularExpressions.Regex.Matches(printed, @"\{\{vars\.([a-z-]+)\}\}").Select(m => m.Groups[1].Value).Distinct();

        var filled = RunbookVariables.Fill(printed, names.ToDictionary(n => n, n => n == "dwell" ? "0s" : $"value \"of\" {n}"));

        Assert.Equal(RunbookVariables.Default, printed);
        var runbook = RunbookYaml.Parse(filled.Value, RollbackExecutor.Engine.Known);
        Assert.True(runbook.IsOk, runbook.Problem?.Message);
        Assert.Equal("value \"of\" socket", runbook.Value.Steps.Single(s => s.Id == "pause").With["socket"]);
        Assert.Equal(["tell-team", "pause", "snapshot", "drain-bad", "deploy-target", "migrate-down", "verify", "canary", "replay", "resume", "tell-customers", "report"], runbook.Value.Steps.Select(s => s.Id));
    }

    private JsonElement Statement(long index)
    {
        using var envelope = JsonDocument.Parse(LogEntry(index));
        return JsonDocument.Parse(Convert.FromBase64String(envelope.RootElement.GetProperty("payload").GetString()!)).RootElement.Clone();
    }
}
