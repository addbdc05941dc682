using System.Globalization;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>Executing an approved rollback's runbook: gated by the decision and the operator role, journaled, locked per environment, resumable, logged.</summary>
public sealed class RunbookCommandTests : GovernedStoreTests
{
    private string Out => Dir.Combine("out.txt");

    private string Runbook(string extraStep = "")
    {
        var path = Dir.Combine($"runbook-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $$$"""
            name: test-rollback
            steps:
              - id: announce
                uses: command
                with:
                  run: echo "rolling {{app}} back to {{target.version}}" >> {{{Out}}}
              - id: deploy
                uses: command
                with:
                  run: echo "deploy {{target.artifact.app.tar}}" >> {{{Out}}}
                  timeout: 30s
            {{{extraStep}}}
            """);
        return path;
    }

    [Fact]
    public void An_approved_rollback_runs_its_steps_in_order_and_logs_the_execution()
    {
        var request = Approved();

        var executed = Execute(request, Runbook());

        Assert.Equal(ExitCodes.Ok, executed.ExitCode);
        var lines = File.ReadAllLines(Out);
        Assert.Equal("rolling doc-signer back to 1.0", lines[0]);
        Assert.Equal("deploy sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("doc-signer 1.0"u8)), lines[1]);
        var logIndex = JsonDocument.Parse(executed.Out).RootElement.GetProperty("logIndex").GetInt64();
        Assert.Contains(JsonDocument.Parse(Ok("query", "history", "doc-signer", "--store", Store, "--json").Out).RootElement.EnumerateArray(),
            e => e.GetProperty("logIndex").GetInt64() == logIndex && e.GetProperty("summary").GetString()!.EndsWith("completed", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(Store, ".rollproof", "locks", "prod.lock")));

        Ok("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", Dir.Combine("evidence.zip"));
        Assert.Equal(ExitCodes.Ok, Run("evidence", "verify", Dir.Combine("evidence.zip"), "--trust", Path.Combine(Store, "trust.json")).ExitCode);
    }

    [Fact]
    public void Nothing_runs_unless_approved_and_run_by_an_operator()
    {
        var pending = Request("alice").GetProperty("logIndex").GetInt64();
        var notApproved = Execute(pending, Runbook());
        var approved = Approved();
        var notOperator = Execute(approved, Runbook(), key: "carol");

        Assert.Equal(ExitCodes.VerificationFailed, notApproved.ExitCode);
        Assert.Contains("is pending", notApproved.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, notOperator.ExitCode);
        Assert.Contains("not an operator", notOperator.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public void A_dry_run_prints_the_plan_with_every_value_resolved_and_runs_nothing()
    {
        var request = Approved();

        var plan = JsonDocument.Parse(Execute(request, Runbook(), more: "--dry-run").Out).RootElement;

        Assert.Equal("planned", plan.GetProperty("outcome").GetString());
        Assert.Contains("rolling doc-signer back to 1.0", plan.GetProperty("plan")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("deploy sha256:", plan.GetProperty("plan")[1].GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public void A_dry_run_names_the_digest_each_deploy_will_unpack()
    {
        var request = Approved();
        var runbook = Dir.Combine("deploys.yaml");
        File.WriteAllText(runbook, string.Join('\n',
            "name: deploys",
            "steps:",
            "  - { id: target, uses: deploy, with: { local: /srv/app, slot: blue, port: '8081', run: ./app } }",
            "  - { id: named, uses: deploy, with: { local: /srv/app, slot: blue, port: '8081', run: ./app, artifact: app.tar } }",
            "  - { id: other, uses: deploy, with: { local: /srv/app, slot: green, port: '8082', run: ./app, version: '1.1' } }",
            ""));

        var plan = JsonDocument.Parse(Execute(request, runbook, more: "--dry-run").Out).RootElement.GetProperty("plan").EnumerateArray().Select(p => p.GetString()!).ToList();

        var digest = System.Text.RegularExpressions.Regex.Match(plan[0], "sha256:[0-9a-f]{64}").Value;
        Assert.NotEmpty(digest);
        Assert.Contains($"unpack 1.0 by digest ({digest})", plan[1], StringComparison.Ordinal);
        Assert.Contains("unpack 1.1 by digest (as release 1.1's signed statement names it)", plan[2], StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_step_keeps_the_environment_locked_until_the_rollback_is_resumed()
    {
        var request = Approved();
        var gate = Dir.Combine("checks-pass");
        var runbook = Runbook($"""
              - id: verify
                uses: command
                with:
                  run: test -f {gate} && echo verified >> {Out}
            """);

        var failed = Execute(request, runbook);
        var other = Approved();
        var blocked = Execute(other, Runbook());
        File.WriteAllText(gate, "");
        var resumed = Run("rollback", "resume", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--key", Key("ops"), "--state", State, "--json");

        Assert.Equal(ExitCodes.VerificationFailed, failed.ExitCode);
        Assert.Contains("step verify failed", failed.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, blocked.ExitCode);
        Assert.Contains("prod is locked by execution", blocked.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, resumed.ExitCode);
        Assert.Equal(["rolling doc-signer back to 1.0", File.ReadAllLines(Out)[1], "verified"], File.ReadAllLines(Out));
        Assert.Equal(ExitCodes.Ok, Execute(other, Runbook()).ExitCode);
    }

    [Fact]
    public void Only_an_admin_may_release_a_lock_by_a_logged_override()
    {
        var failed = Approved();
        Execute(failed, Runbook("  - id: fail\n    uses: command\n    with: { run: 'exit 1' }\n"));
        var other = Approved();

        var byApprover = Run("rollback", "unlock", "--store", Store, "--env", "prod", "--reason", "abandoned", "--key", Key("carol"));
        var byAdmin = Run("rollback", "unlock", "--store", Store, "--env", "prod", "--reason", "execution abandoned after INC-4711 was closed", "--key", Key("root"), "--json");

        Assert.Equal(ExitCodes.VerificationFailed, byApprover.ExitCode);
        Assert.Equal(ExitCodes.Ok, byAdmin.ExitCode);
        Assert.Equal(ExitCodes.Ok, Execute(other, Runbook()).ExitCode);
        Assert.Contains(JsonDocument.Parse(Ok("query", "actor", "root", "--store", Store, "--json").Out).RootElement.EnumerateArray(),
            e => e.GetProperty("kind").GetString() == "lock-override" && e.GetProperty("summary").GetString()!.Contains("execution abandoned", StringComparison.Ordinal));
    }

    [Fact]
    public void Snapshot_then_migrate_down_undoes_the_current_releases_migration_once_and_keeps_the_state_before()
    {
        var request = Approved();
        var database = DocsDatabase();
        var runbook = Dir.Combine("db-runbook.yaml");
        File.WriteAllText(runbook, $"name: db\nsteps:\n  - id: snapshot\n    uses: snapshot\n    with: {{ sqlite: {database} }}\n  - id: migrate-down\n    uses: migrate-down\n    with: {{ sqlite: {database} }}\n");

        var executed = Execute(request, runbook);
        var again = Run("rollback", "resume", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "--key", Key("ops"), "--state", State);

        Assert.Equal(ExitCodes.Ok, executed.ExitCode);
        Assert.Equal(["id", "body"], Columns(database));
        var journal = File.ReadAllLines(Path.Combine(Store, ".rollproof", "executions", request.ToString(CultureInfo.InvariantCulture), "journal.jsonl"));
        var snapshot = JsonDocument.Parse(journal.First(l => l.Contains("\"step\":\"snapshot\"", StringComparison.Ordinal) && l.Contains("completed", StringComparison.Ordinal))).RootElement.GetProperty("evidence").GetProperty("sqlite:" + database).GetString()!;
        var blob = Storage.Sha256Digest.Parse(snapshot).Value;
        var copy = Dir.Combine("snapshot.db");
        File.Copy(Path.Combine(Store, "artifacts", "sha256", blob.Hex[..2], blob.Hex), copy);
        Assert.Equal(["id", "body", "sig"], Columns(copy));
        Assert.Contains(journal, l => l.Contains("undid 0002_signatures", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.InputError, again.ExitCode);
        Assert.Contains("already completed every step", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_notify_and_report_leave_a_signed_reconciliation_report_in_the_evidence()
    {
        var request = Approved();
        using var service = new Testing.LoopbackHttp(call => call.Response.OutputStream.WriteAsync("{\"status\":\"ok\",\"version\":\"1.0\"}"u8.ToArray()).AsTask());
        var port = service.Port;
        var notes = Dir.Combine("notes.txt");
        var runbook = Dir.Combine("full.yaml");
        File.WriteAllText(runbook, string.Join('\n',
            "name: full",
            "steps:",
            "  - id: verify",
            "    uses: verify",
            $"    with: {{ url: 'http://127.0.0.1:{port}/health', body: '\"version\":\"1.0\"', latency: 5s }}",
            "  - id: tell-customers",
            "    uses: notify",
            $"    with: {{ phase: customers, file: {notes}, message: '{{{{app}}}} is back on {{{{target.version}}}}' }}",
            "  - id: report",
            "    uses: report",
            ""));

        var executed = Execute(request, runbook);

        Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
        Assert.Equal("[customers] doc-signer is back on 1.0", File.ReadAllText(notes).Trim());
        var history = JsonDocument.Parse(Ok("query", "history", "doc-signer", "--store", Store, "--json").Out).RootElement;
        Assert.Contains(history.EnumerateArray(), e => e.GetProperty("kind").GetString() == "report");
        Ok("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", Dir.Combine("evidence.zip"));
        Assert.Equal(ExitCodes.Ok, Run("evidence", "verify", Dir.Combine("evidence.zip"), "--trust", Path.Combine(Store, "trust.json")).ExitCode);
        using var zip = System.IO.Compression.ZipFile.OpenRead(Dir.Combine("evidence.zip"));
        var summary = new StreamReader(zip.GetEntry("summary.md")!.Open()).ReadToEnd();
        Assert.Contains("reconciliation report", summary, StringComparison.Ordinal);
        Assert.Contains($"customers via file {notes}", summary, StringComparison.Ordinal);
        Assert.Contains("> doc-signer is back on 1.0", summary, StringComparison.Ordinal);
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("-notification.dsse.json", StringComparison.Ordinal));
    }

    [Fact]
    public void A_webhook_from_the_environment_is_told_and_logged_without_the_secret_part_of_its_url()
    {
        var request = Approved();
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var hook = new Testing.LoopbackHttp(async call =>
        {
            received.Enqueue(call.Request.Url!.AbsolutePath + " " + await new StreamReader(call.Request.InputStream).ReadToEndAsync());
            call.Response.StatusCode = 200;
        });
        var variable = $"ROLLPROOF_TEST_HOOK_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, $"http://127.0.0.1:{hook.Port}/services/T0/B0/s3cr3t-token");
        var runbook = Dir.Combine("hook.yaml");
        File.WriteAllText(runbook, $"name: hook\nsteps:\n  - id: tell-regulators\n    uses: notify\n    with: {{ phase: regulators, webhook-env: {variable}, message: 'rolled back to {{{{target.version}}}}' }}\n");
        try
        {
            var executed = Execute(request, runbook);

            Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
            Assert.Single(received);
            Assert.StartsWith("/services/T0/B0/s3cr3t-token {", received.Single(), StringComparison.Ordinal);
            Assert.Contains("{\"text\":\"[regulators] rolled back to 1.0\"}", received.Single(), StringComparison.Ordinal);
            var notifications = JsonDocument.Parse(Ok("query", "history", "doc-signer", "--store", Store, "--json").Out).RootElement.EnumerateArray()
                .Where(e => e.GetProperty("kind").GetString() == "notification").Select(e => e.GetProperty("summary").GetString()).ToList();
            Assert.Equal([$"notification to regulators for request {request} via webhook http://127.0.0.1:{hook.Port}"], notifications);
            Assert.DoesNotContain(Directory.EnumerateFiles(Store, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("s3cr3t", StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_webhook_env_naming_an_unset_variable_fails_the_step_saying_so()
    {
        var request = Approved();
        var runbook = Dir.Combine("unset.yaml");
        File.WriteAllText(runbook, "name: unset\nsteps:\n  - id: tell\n    uses: notify\n    with: { phase: internal, webhook-env: ROLLPROOF_TEST_NOT_SET, message: hello }\n");

        var failed = Execute(request, runbook);

        Assert.NotEqual(ExitCodes.Ok, failed.ExitCode);
        Assert.Contains("secret env:ROLLPROOF_TEST_NOT_SET: the environment variable is not set", failed.Out + failed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("webhook: 'http://hooks:{0}@127.0.0.1:9/services/T0'", "step 'tell', field 'webhook'", "a URL with user:password@")]
    [InlineData("webhook: 'http://127.0.0.1:9/services?token={0}'", "step 'tell', field 'webhook'", "a 'token=' query parameter")]
    [InlineData("file: '{{{{vars.out}}}}', run: 'curl https://ci:{0}@ci.example/hook'", "step 'tell', field 'run'", "a URL with user:password@")]
    public void A_credential_written_inline_is_refused_naming_the_field_before_anything_is_stored(string field, string where, string what)
    {
        var request = Approved();
        var secret = $"s3cr3t-{Guid.NewGuid():N}";
        var runbook = Dir.Combine("inline.yaml");
        File.WriteAllText(runbook, $"name: inline\nsteps:\n  - id: tell\n    uses: notify\n    with: {{ phase: internal, message: hello, {string.Format(CultureInfo.InvariantCulture, field, secret)} }}\n");

        var refused = Execute(request, runbook, more: ["--set", $"out={Dir.Combine("told.txt")}"]);

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains("RP2620", refused.Error, StringComparison.Ordinal);
        Assert.Contains(where, refused.Error, StringComparison.Ordinal);
        Assert.Contains(what, refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, refused.Out + refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Store, ".rollproof", "executions")));
        Assert.Empty(Testing.SecretScan.Find(secret, Store));
    }

    [Fact]
    public void A_set_value_holding_a_credential_is_refused_and_a_secret_value_given_to_secret_too()
    {
        var request = Approved();
        var secret = $"s3cr3t-{Guid.NewGuid():N}";
        var runbook = Dir.Combine("hook.yaml");
        File.WriteAllText(runbook, "name: hook\nsteps:\n  - id: tell\n    uses: notify\n    with: { phase: internal, message: hello, webhook: \"{{vars.hook}}\" }\n");

        var viaSet = Execute(request, runbook, more: ["--set", $"hook=https://hooks:{secret}@127.0.0.1:9/x"]);
        var valueAsSecret = Execute(request, runbook, more: ["--secret", $"hook={secret}"]);

        Assert.Equal(ExitCodes.InputError, viaSet.ExitCode);
        Assert.Contains("step 'tell', field 'webhook': a credential is written inline", viaSet.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, valueAsSecret.ExitCode);
        Assert.Contains("--secret hook: a secret is given as env:NAME", valueAsSecret.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, viaSet.Error + valueAsSecret.Error, StringComparison.Ordinal);
        Assert.Empty(Testing.SecretScan.Find(secret, Store));
    }

    [Fact]
    public void A_secret_placed_where_no_reference_is_taken_is_refused()
    {
        var request = Approved();
        var runbook = Dir.Combine("misused.yaml");
        File.WriteAllText(runbook, "name: misused\nsteps:\n  - id: call\n    uses: command\n    with: { run: \"curl -H 'Authorization: {{vars.token}}' https://ci.example\" }\n");

        var refused = Execute(request, runbook, more: ["--secret", "token=env:CI_TOKEN"]);

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains("--secret token is used on line 5 outside a field that takes a secret reference (webhook, password)", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_webhook_given_by_reference_is_used_and_appears_in_no_file_of_the_store_or_the_evidence_package()
    {
        var request = Approved();
        var secret = $"s3cr3t-{Guid.NewGuid():N}";
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var hook = new Testing.LoopbackHttp(call =>
        {
            received.Enqueue(call.Request.Url!.PathAndQuery);
            call.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        var variable = $"ROLLPROOF_TEST_HOOK_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, $"http://127.0.0.1:{hook.Port}/services/{secret}");
        var keptInFile = Dir.Combine("customers-hook");
        File.WriteAllText(keptInFile, $"http://127.0.0.1:{hook.Port}/customers?token={secret}\n");
        var runbook = Dir.Combine("secret-hooks.yaml");
        File.WriteAllText(runbook, string.Join('\n',
            "name: secret-hooks",
            "steps:",
            "  - id: tell-team",
            "    uses: notify",
            "    with: { phase: internal, message: 'rolling back to {{target.version}}', webhook: \"{{vars.team-hook}}\" }",
            "  - id: tell-customers",
            "    uses: notify",
            $"    with: {{ phase: customers, message: 'back on {{{{target.version}}}}', webhook: 'file:{keptInFile}' }}",
            "  - id: report",
            "    uses: report",
            ""));
        try
        {
            var executed = Execute(request, runbook, more: ["--secret", $"team-hook=env:{variable}"]);
            var exported = Run("evidence", "export", request.ToString(CultureInfo.InvariantCulture), "--store", Store, "-o", Dir.Combine("evidence.zip"));

            Assert.True(executed.ExitCode == ExitCodes.Ok, executed.Error);
            Assert.Equal([$"/services/{secret}", $"/customers?token={secret}"], received);
            Assert.Equal(ExitCodes.Ok, exported.ExitCode);
            Assert.Contains($"env:{variable}", File.ReadAllText(Path.Combine(Store, ".rollproof", "executions", request.ToString(CultureInfo.InvariantCulture), "runbook.yaml")), StringComparison.Ordinal);
            // Everything of this test's folder: the store, the evidence package (each entry), the runbook; only the file the
            // secret is kept in holds it.
            Assert.Equal([keptInFile], Testing.SecretScan.Find(secret, Dir.Path));
            Assert.DoesNotContain(secret, executed.Out + executed.Error + exported.Out, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_broken_runbook_is_refused_naming_the_line_and_nothing_runs()
    {
        var request = Approved();
        var path = Dir.Combine("broken.yaml");
        File.WriteAllText(path, "name: broken\nsteps:\n  - id: a\n    uses: teleport\n");

        var refused = Execute(request, path);

        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains("step 'a' uses 'teleport', which is not a step Rollproof knows", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Store, ".rollproof", "locks", "prod.lock")));
    }
}
