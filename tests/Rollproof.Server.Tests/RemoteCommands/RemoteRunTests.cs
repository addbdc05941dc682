using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rollproof.Cli.Infrastructure;
using Rollproof.Storage.Remote;
using static Rollproof.Server.Tests.RemoteCommands.TeamServer;

namespace Rollproof.Server.Tests.RemoteCommands;

/// <summary>
/// Running rollbacks with <c>--server</c> in place of <c>--store</c>, each member on their own key and token against a
/// real server: execute, resume (after an interruption and after an amendment), amend, unlock, drill and review; each
/// statement must be in the server's log and count there, and the evidence must verify offline.
/// </summary>
public sealed partial class RemoteRunTests(TeamServer served) : IClassFixture<TeamServer>
{
    private RemoteTeam Team => served.Team;

    private string Runbook(string name, string steps)
    {
        var path = Team.Dir.Combine(name + ".yaml");
        File.WriteAllText(path, $"name: {name}\nsteps:\n{steps}");
        return path;
    }

    private string[] Operator(string verb, long request) => ["rollback", verb, Id(request), "--key", Team.Key("ops"), "--state", served.State];

    [Fact]
    public async Task An_execution_interrupted_says_how_to_resume_it_through_the_server_and_that_resume_completes_it()
    {
        var request = served.Approved("interrupted");
        var mark = Team.Dir.Combine("interrupted.mark");
        // Hangs the first time (saying so once it has marked itself), passes on the resume.
        var runbook = Runbook("hang", $"  - id: hang\n    uses: command\n    with: {{ run: 'if [ -e {mark} ]; then echo resumed; else touch {mark} && echo hanging && exec sleep 300; fi', timeout: 10m }}\n");
        using var running = StartCli(Team.Tokens["ops"], [.. Operator("execute", request), "--runbook", runbook, .. served.Remote]);
        var output = running.StandardOutput.ReadToEndAsync();
        while (await running.StandardError.ReadLineAsync() is { } line && !line.Contains("hanging", StringComparison.Ordinal))
        {
        }
        Rollproof.Common.Posix.Signal(running.Id, 2); // SIGINT, as Ctrl-C sends
        var said = await running.StandardError.ReadToEndAsync();
        await running.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await output;

        Assert.True(running.ExitCode == ExitCodes.Interrupted, $"exit {running.ExitCode}: {said}");
        var resume = ResumeLine().Match(said);
        Assert.True(resume.Success, said);
        Assert.Contains($"--server {served.Server.Url} --server-log-key ", resume.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains(Team.LogKey, resume.Groups[1].Value, StringComparison.Ordinal);
        var resumed = served.Ok([.. Operator("resume", request), "--json"]);
        Assert.Equal("completed", resumed.Json.GetProperty("outcome").GetString());
        var (kind, signer, predicate) = await served.CountedAsync(resumed.Json.GetProperty("logIndex").GetInt64());
        Assert.Equal(("execution", "ops"), (kind, signer));
        Assert.Equal(request, predicate.GetProperty("request").GetProperty("logIndex").GetInt64());
    }

    [Fact]
    public async Task A_run_failed_by_its_runbook_is_amended_and_resumed_through_the_server_and_its_evidence_verifies_offline()
    {
        var request = served.Approved("amended");
        var log = Team.Dir.Combine("amended.out");
        string Steps(string version) => $"  - id: roll\n    uses: command\n    with: {{ run: 'test {{{{target.version}}}} = {version} && echo rolled >> {log}' }}\n";

        var failed = served.Run([.. Operator("execute", request), "--runbook", Runbook("typo", Steps("1.O"))]);
        var amended = served.Ok("rollback", "amend", Id(request), "--runbook", Runbook("fixed", Steps("1.0")), "--reason", "the version was typed 1.O", "--key", Team.Key("ops"), "--json");
        var resumed = served.Ok([.. Operator("resume", request), "--json"]);

        Assert.Equal(ExitCodes.VerificationFailed, failed.ExitCode);
        Assert.Equal(("rollback-amendment", "ops"), (await served.CountsAsAsync(amended.Json.GetProperty("logIndex").GetInt64())));
        Assert.Equal(("execution", "ops"), (await served.CountsAsAsync(resumed.Json.GetProperty("logIndex").GetInt64())));
        Assert.Equal(["rolled"], File.ReadAllLines(log));
        var package = Team.Dir.Combine("amended.zip");
        served.Ok("evidence", "export", Id(request), "-o", package);
        RemoteTeam.Ok("evidence", "verify", package, "--trust", Path.Combine(Team.Store, "trust.json"));
    }

    [Fact]
    public async Task Only_an_admin_unlocks_an_environment_through_the_server()
    {
        var request = served.Approved("unlocked");
        served.Run([.. Operator("execute", request), "--runbook", Runbook("fails", "  - id: fail\n    uses: command\n    with: { run: 'exit 1' }\n")]);
        var size = await RemoteTeam.LogSizeAsync(served.Server.Http);

        var byApprover = served.Run("rollback", "unlock", "--env", "unlocked", "--reason", "abandoned", "--key", Team.Key("carol"));
        Assert.Equal(size, await RemoteTeam.LogSizeAsync(served.Server.Http));
        var byAdmin = served.Ok("rollback", "unlock", "--env", "unlocked", "--reason", "abandoned after INC-1 closed", "--key", Team.Key("root"), "--json");

        Assert.NotEqual(ExitCodes.Ok, byApprover.ExitCode);
        var (kind, signer, predicate) = await served.CountedAsync(byAdmin.Json.GetProperty("logIndex").GetInt64());
        Assert.Equal(("lock-override", "root"), (kind, signer));
        Assert.Equal("abandoned after INC-1 closed", predicate.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_drill_runs_and_is_logged_as_a_drill_through_the_server()
    {
        served.Environment("staging", approvals: 0);
        var drilled = Team.Dir.Combine("drilled.out");
        var runbook = Runbook("rehearsal", $"  - id: deploy\n    uses: command\n    with: {{ run: 'echo {{{{environment}}}} {{{{target.version}}}} >> {drilled}' }}\n");

        var drill = served.Ok("drill", "--env", "staging", "--to", "1.0", "--runbook", runbook, "--key", Team.Key("ops"), "--state", served.State, "--json");

        Assert.Equal("completed", drill.Json.GetProperty("outcome").GetString());
        Assert.Equal(["staging 1.0"], File.ReadAllLines(drilled));
        var (kind, signer, predicate) = await served.CountedAsync(drill.Json.GetProperty("logIndex").GetInt64());
        Assert.Equal(("execution", "ops"), (kind, signer));
        Assert.True(predicate.GetProperty("drill").GetBoolean());
    }

    [Fact]
    public async Task An_emergency_is_reviewed_after_the_fact_through_the_server()
    {
        served.Environment("emergency");
        var request = served.Request("emergency", "--emergency");

        var review = served.Ok("rollback", "review", Id(request), "--outcome", "accepted", "--comment", "the right call", "--key", Team.Key("carol"), "--json");

        var (kind, signer, predicate) = await served.CountedAsync(review.Json.GetProperty("logIndex").GetInt64());
        Assert.Equal(("review", "carol"), (kind, signer));
        Assert.Equal("accepted", predicate.GetProperty("outcome").GetString());
        var status = served.Ok("rollback", "status", Id(request), "--state", served.State, "--json").Json.GetProperty("decision").GetProperty("review");
        Assert.Equal(review.Json.GetProperty("logIndex").GetInt64(), status.GetProperty("reviewIndex").GetInt64());
        Assert.Equal("carol", status.GetProperty("reviewer").GetString());
    }

    // The CLI as its own process (a signal must reach it), with the member's token and this test run's state folder, so
    // it shares the replica the in-process commands use.
    private static Process StartCli(string token, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment[ServerToken.Variable] = token;
        start.Environment["ROLLPROOF_STATE_DIR"] = Rollproof.Common.VerifierHome.Root;
        foreach (var arg in (string[])[ServeProcess.Program, .. args])
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

    [GeneratedRegex("To continue where it stopped, run: (.*)")]
    private static partial Regex ResumeLine();
}
