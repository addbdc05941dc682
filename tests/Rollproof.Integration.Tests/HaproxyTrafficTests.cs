using System.Net;
using Rollproof.Runbooks;
using Rollproof.Runbooks.Steps;
using Rollproof.Testing;
using Rollproof.Traffic;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Traffic steps against a real haproxy (Debian's, started here with its admin socket) in front of two loopback
/// backends answering "1.0" and "1.1": weights change at runtime without a reload, and the version that answers a
/// fixed number of requests follows them; pausing answers 503 with Retry-After; the canary shifts traffic step by
/// step and returns it to the last safe step when a gate fails.
/// </summary>
public sealed class HaproxyTrafficTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TwoReleases _releases = new();
    private readonly HaproxyProcess _haproxy;
    private readonly int _port;

    public HaproxyTrafficTests()
    {
        var (p10, p11) = (_releases.V10Port, _releases.V11Port);
        _port = LoopbackHttp.FreePort();
        File.WriteAllText(_dir.Combine("503.http"), "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\npaused for a rollback\n");
        File.WriteAllText(_dir.Combine("haproxy.cfg"), $"""
            global
              stats socket {Socket} mode 600 level admin
            defaults
              mode http
              timeout connect 2s
              timeout client 10s
              timeout server 10s
              errorfile 503 {_dir.Combine("503.http")}
            frontend web
              bind 127.0.0.1:{_port}
              default_backend app
            backend app
              balance roundrobin
              server v10 127.0.0.1:{p10} weight 100
              server v11 127.0.0.1:{p11} weight 0

            """);
        var check = ExternalProcess.Run("haproxy", ["-c", "-f", _dir.Combine("haproxy.cfg")]);
        Assert.True(check.ExitCode == 0, "haproxy refuses the configuration: " + check.Out + check.Error);
        var started = HaproxyProcess.Start(_dir.Combine("haproxy.cfg"), Socket);
        Assert.True(started.IsOk, started.IsOk ? "" : started.Problem.Message);
        _haproxy = started.Value;
    }

    // Unix socket paths are limited to 108 bytes: keep this one short.
    private string Socket { get; } = Path.Combine(Path.GetTempPath(), $"rp-{Guid.NewGuid():N}"[..12] + ".sock");

    private HaproxyAdmin Admin => new(Socket);

    public void Dispose()
    {
        _haproxy.Dispose();
        _releases.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_version_that_answers_follows_the_weights_set_at_runtime()
    {
        foreach (var percent in new[] { 0, 1, 10, 50, 100 })
        {
            Assert.Null(await Admin.SetWeightAsync("app", "v11", percent, CancellationToken.None));
            Assert.Null(await Admin.SetWeightAsync("app", "v10", 100 - percent, CancellationToken.None));

            var answers = await RequestsAsync(100);

            var onTarget = answers.Count(a => a == "1.1");
            Assert.True(Math.Abs(onTarget - percent) <= 1, $"at {percent}%: {onTarget} of 100 requests reached 1.1");
            Assert.Equal(100, answers.Count(a => a is "1.0" or "1.1"));
        }
    }

    [Fact]
    public async Task Pausing_answers_503_with_retry_after_and_resuming_serves_again()
    {
        var context = new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System);
        var with = new Dictionary<string, string> { ["socket"] = Socket, ["backend"] = "app" };

        Assert.True((await new IngressStep(pause: true).RunAsync(with, context, CancellationToken.None)).Succeeded);
        using var paused = await new HttpClient().GetAsync($"http://127.0.0.1:{_port}/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, paused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), paused.Headers.RetryAfter?.Delta);

        Assert.True((await new IngressStep(pause: false).RunAsync(with, context, CancellationToken.None)).Succeeded);
        Assert.Equal(["1.0"], (await RequestsAsync(1)).ToArray());
    }

    [Fact]
    public async Task A_canary_whose_gates_pass_ends_with_all_traffic_on_the_target()
    {
        var outcome = await Canary(dwell: "0s");

        Assert.True(outcome.Succeeded, outcome.Message);
        var stats = (await Admin.StatsAsync("app", CancellationToken.None)).Value;
        Assert.Equal((100, 0), (stats.Single(s => s.Server == "v11").Weight, stats.Single(s => s.Server == "v10").Weight));
        Assert.Equal(["1.1", "1.1", "1.1"], await RequestsAsync(3));
    }

    [Fact]
    public async Task A_canary_whose_error_rate_gate_fails_returns_traffic_to_the_last_safe_step_and_says_why()
    {
        _releases.FailV11();
        using var traffic = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!traffic.IsCancellationRequested)
                await RequestsAsync(1);
        });

        var outcome = await Canary(dwell: "2s");
        await traffic.CancelAsync();
        await load;

        Assert.False(outcome.Succeeded);
        Assert.Contains("the gate at 1% failed", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("were 5xx", outcome.Message, StringComparison.Ordinal);
        var stats = (await Admin.StatsAsync("app", CancellationToken.None)).Value;
        Assert.Equal((0, 100), (stats.Single(s => s.Server == "v11").Weight, stats.Single(s => s.Server == "v10").Weight));
    }

    [Fact]
    public async Task A_canary_without_traffic_fails_saying_how_many_responses_it_saw_and_needed()
    {
        var outcome = await Canary(dwell: "0s", probe: false);

        Assert.False(outcome.Succeeded);
        Assert.Contains("the gate at 1% failed (the target gave 0 responses during the dwell, and the error-rate gate needs at least 20 (minResponses)", outcome.Message, StringComparison.Ordinal);
        var stats = (await Admin.StatsAsync("app", CancellationToken.None)).Value;
        Assert.Equal((0, 100), (stats.Single(s => s.Server == "v11").Weight, stats.Single(s => s.Server == "v10").Weight));
    }

    [Fact]
    public async Task A_canary_makes_up_the_responses_it_lacks_with_probes_of_the_target()
    {
        var outcome = await Canary(dwell: "0s");

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal("passed: 20 responses (20 probes), 0 errors", outcome.Evidence["step:1"]);
    }

    [Fact]
    public async Task Each_canary_step_runs_the_environments_verify_checks_and_a_failing_one_returns_the_traffic()
    {
        var runs = _dir.Combine("checks.txt");
        var passing = new RunbookStep("verify", "verify", new Dictionary<string, string> { ["run"] = $"echo checked >> {runs}" });
        var failing = new RunbookStep("verify-signatures", "verify", new Dictionary<string, string> { ["run"] = "echo 'signature does not verify'; exit 1" });

        var passed = await Canary(dwell: "0s", checks: passing);
        var failed = await Canary(dwell: "0s", checks: [passing, failing]);

        Assert.True(passed.Succeeded, passed.Message);
        Assert.Equal("verify", passed.Evidence["checks"]);
        Assert.False(failed.Succeeded);
        Assert.Contains("the gate at 1% failed (verify check 'verify-signatures' failed: 'echo 'signature does not verify'; exit 1' exited with 1: signature does not verify", failed.Message, StringComparison.Ordinal);
        Assert.Equal(5, File.ReadAllLines(runs).Length);
        var stats = (await Admin.StatsAsync("app", CancellationToken.None)).Value;
        Assert.Equal((0, 100), (stats.Single(s => s.Server == "v11").Weight, stats.Single(s => s.Server == "v10").Weight));
    }

    [Fact]
    public async Task A_canary_run_again_resumes_at_the_step_the_target_had_reached_and_a_first_run_starts_at_1()
    {
        var split = new HaproxySplit(Admin, "app", "v10", "v11");
        Assert.Null(await split.SplitAsync(50, CancellationToken.None));
        Assert.Equal(50, (await split.TargetPercentAsync(CancellationToken.None)).Value);

        var resumed = await Canary(dwell: "0s", attempt: 2);

        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.Equal("50", resumed.Evidence["resumedAt"]);
        Assert.Equal(["step:50", "step:100"], resumed.Evidence.Keys.Where(k => k.StartsWith("step:", StringComparison.Ordinal)));
        Assert.Contains("(resumed: 1, 10% passed before the interruption)", resumed.Message, StringComparison.Ordinal);
        Assert.Null(await Admin.SetStateAsync("app", "v11", "maint", CancellationToken.None));
        Assert.Equal(0, (await split.TargetPercentAsync(CancellationToken.None)).Value);

        var fresh = await Canary(dwell: "0s");
        Assert.Equal(["step:1", "step:10", "step:50", "step:100"], fresh.Evidence.Keys.Where(k => k.StartsWith("step:", StringComparison.Ordinal)));
        Assert.False(fresh.Evidence.ContainsKey("resumedAt"));
    }

    // A canary probing the target (v11) directly, unless told not to probe, in a runbook with the given verify steps.
    private Task<StepOutcome> Canary(string dwell, int attempt = 1, bool probe = true, params RunbookStep[] checks)
    {
        var with = new Dictionary<string, string> { ["socket"] = Socket, ["backend"] = "app", ["from"] = "v10", ["to"] = "v11", ["dwell"] = dwell, ["url"] = $"http://127.0.0.1:{_port}/" };
        if (probe)
            with["probe"] = $"http://127.0.0.1:{_releases.V11Port}/";
        return new CanaryStep().RunAsync(with,
            new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System) { Attempt = attempt, RunbookSteps = [.. checks, new RunbookStep("canary", "canary", with)] }, CancellationToken.None);
    }

    private Task<List<string>> RequestsAsync(int count) => TwoReleases.RequestsAsync(_port, count);
}
