using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;

namespace Rollproof.Server.Tests;

/// <summary>
/// One rollback per environment across machines: two operators' machines (separate processes, separate replicas and
/// journals) executing through one real server. The lock lives at the server; a killed client's lease expires, then
/// only the same execution by the same actor resumes it, and an admin's logged override releases it; no other
/// actor's token takes over or releases it.
/// </summary>
public sealed class ServerEnvironmentLockTests : IDisposable
{
    private const int LeaseSeconds = 5;
    private readonly RemoteTeam _team = new();

    public void Dispose() => _team.Dispose();

    private string Go => _team.Dir.Combine("go");

    private string Marks => _team.Dir.Combine("marks");

    [Fact]
    public async Task A_second_machine_is_refused_naming_the_holder_and_after_a_crash_only_the_same_execution_and_actor_resume()
    {
        await using var server = await StartServerAsync();
        var (remote, request) = ApprovedRequest(server);
        var (a, b) = (new ClientMachine(_team.Dir.Combine("machine-a")), new ClientMachine(_team.Dir.Combine("machine-b")));
        using (var running = a.Start(_team.Tokens["ops"], Execute(a, request, remote)))
        {
            try
            {
                WaitUntilStepStarted(running);
                var refused = b.Run(_team.Tokens["ops"], Execute(b, request, remote));
                Assert.Equal(ExitCodes.VerificationFailed, refused.ExitCode);
                Assert.Contains($"prod is being rolled back right now by execution {request} (pid {running.Id} on {Environment.MachineName}, since ", refused.Error, StringComparison.Ordinal);
                Assert.Contains("run by ops", refused.Error, StringComparison.Ordinal);
            }
            finally
            {
                running.Kill(entireProcessTree: true);
                await running.WaitForExitAsync();
            }
        }
        await WaitUntilLeaseExpiredAsync(server);

        var other = _team.RemoteOk(["rollback", "request", "--env", "prod", "--to", "1.0", "--reason", "critical-bug", "--rationale", "another try", "--ticket", "INC-2", "--key", _team.Key("alice"), "--state", State, "--json", .. remote]).Json.GetProperty("logIndex").GetInt64();
        var anotherExecution = await CallAsync(server, "ops", "", new { execution = other.ToString(CultureInfo.InvariantCulture), process = (object?)null });
        Assert.Equal(HttpStatusCode.Conflict, anotherExecution.Status);
        Assert.Contains($"prod is locked by execution {request}", anotherExecution.Detail, StringComparison.Ordinal);
        var anotherActor = await CallAsync(server, "alice", "", new { execution = request, process = (object?)null });
        Assert.Equal((HttpStatusCode.Forbidden, ErrorCodes.LockHeldByAnotherActor), (anotherActor.Status, anotherActor.Code));

        File.WriteAllText(Go, "");
        var resumed = a.Run(_team.Tokens["ops"], ["rollback", "resume", request, "--key", _team.Key("ops"), "--state", a.StateDir + "/seen", .. remote]);

        Assert.True(resumed.ExitCode == ExitCodes.Ok, resumed.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await ShowAsync(server)).StatusCode);
    }

    [Fact]
    public async Task A_crashed_runs_lock_is_released_only_by_the_logged_override_never_by_another_actors_token()
    {
        await using var server = await StartServerAsync();
        var (remote, request) = ApprovedRequest(server);
        var a = new ClientMachine(_team.Dir.Combine("machine-a"));
        using (var running = a.Start(_team.Tokens["ops"], Execute(a, request, remote)))
        {
            try
            {
                WaitUntilStepStarted(running);
                var whileRunning = _team.Remote(["rollback", "unlock", "--env", "prod", "--reason", "while it runs", "--key", _team.Key("root"), .. remote]);
                Assert.Equal(ExitCodes.VerificationFailed, whileRunning.ExitCode); // a run under way is never overridden
            }
            finally
            {
                running.Kill(entireProcessTree: true);
                await running.WaitForExitAsync();
            }
        }
        await WaitUntilLeaseExpiredAsync(server);

        var byAlice = await CallAsync(server, "alice", "/release", new { execution = request, process = (object?)null });
        var unlogged = await CallAsync(server, "alice", "/override", new { index = long.Parse(request, CultureInfo.InvariantCulture) });
        Assert.Equal((HttpStatusCode.Forbidden, ErrorCodes.LockHeldByAnotherActor), (byAlice.Status, byAlice.Code));
        Assert.Equal(ErrorCodes.LockOverrideInvalid, unlogged.Code); // the request's own entry is no override
        Assert.Equal(HttpStatusCode.OK, (await ShowAsync(server)).StatusCode);

        var unlocked = _team.Remote(["rollback", "unlock", "--env", "prod", "--reason", "the operator's machine is gone", "--key", _team.Key("root"), .. remote]);

        Assert.True(unlocked.ExitCode == ExitCodes.Ok, unlocked.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await ShowAsync(server)).StatusCode);
    }

    private string State => _team.Dir.Combine("seen");

    private Task<ServeProcess> StartServerAsync() => ServeProcess.StartAsync(_team.Store, [.. _team.ServeOptions, "--lock-lease", LeaseSeconds.ToString(CultureInfo.InvariantCulture)]);

    // The story up to a request approved by two approvers, filed through the server from the team's own machine.
    private (string[] Remote, string Request) ApprovedRequest(ServeProcess server)
    {
        var remote = _team.Server(server.Url);
        var request = _team.FileRequest(remote, State).ToString(CultureInfo.InvariantCulture);
        foreach (var approver in new[] { "carol", "dave" })
            _team.RemoteOk(["rollback", "approve", request, "--key", _team.Key(approver), .. remote]);
        return (remote, request);
    }

    // The step marks that it ran, then waits for a file the test writes: the run is under way as long as the test needs.
    private string[] Execute(ClientMachine machine, string request, string[] remote)
    {
        var runbook = _team.Dir.Combine("runbook.yaml");
        File.WriteAllText(runbook, $"name: one-at-a-time\nsteps:\n  - id: wait\n    uses: command\n    with:\n      run: echo ran >> {Marks}; while [ ! -e {Go} ]; do sleep 0.05; done\n      timeout: 5m\n");
        return ["rollback", "execute", request, "--runbook", runbook, "--key", _team.Key("ops"), "--state", machine.StateDir + "/seen", .. remote];
    }

    private void WaitUntilStepStarted(Process running)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(Marks) && !running.HasExited && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.True(File.Exists(Marks), $"the step never started: {(running.HasExited ? running.StandardError.ReadToEnd() : "still starting")}");
    }

    // Polls the lock as the auditor until the killed client's lease has expired (the server's clock decides).
    private async Task WaitUntilLeaseExpiredAsync(ServeProcess server)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            using var shown = await ShowAsync(server);
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            if (!JsonDocument.Parse(await shown.Content.ReadAsStringAsync()).RootElement.GetProperty("running").GetBoolean())
                return;
            await Task.Delay(100);
        }
        Assert.Fail("the lease never expired");
    }

    private Task<HttpResponseMessage> ShowAsync(ServeProcess server) => Send(server, RemoteTeam.Auditor, new HttpRequestMessage(HttpMethod.Get, "api/rollproof/v1/locks/prod"));

    private async Task<(HttpStatusCode Status, string? Code, string Detail)> CallAsync(ServeProcess server, string person, string action, object body)
    {
        using var answer = await Send(server, person, new HttpRequestMessage(HttpMethod.Post, "api/rollproof/v1/locks/prod" + action)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        });
        var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        return (answer.StatusCode, json.TryGetProperty("code", out var code) ? code.GetString() : null, json.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "");
    }

    private Task<HttpResponseMessage> Send(ServeProcess server, string person, HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _team.Tokens[person]);
        return server.Http.SendAsync(request);
    }
}
