using System.Diagnostics;
using Rollproof.Runbooks;
using Rollproof.Runbooks.Steps;
using Rollproof.Testing;
using Rollproof.Traffic;

namespace Rollproof.Integration.Tests;

/// <summary>
/// The nginx router against Debian's nginx, started here in the foreground with its own configuration: the upstream
/// is rewritten and nginx reloaded gracefully, and the release that answers a fixed number of requests follows.
/// </summary>
public sealed class NginxTrafficTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly TwoReleases _releases = new();
    private readonly Process _nginx;
    private readonly int _port = LoopbackHttp.FreePort();

    public NginxTrafficTests()
    {
        foreach (var temp in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" })
            Directory.CreateDirectory(_dir.Combine(temp));
        new NginxSplit(Config, Upstream, "app", From, To).WriteUpstream(0);
        File.WriteAllText(Config, $$"""
            daemon off;
            pid {{_dir.Combine("nginx.pid")}};
            error_log {{_dir.Combine("error.log")}};
            events {}
            http {
              access_log off;
              client_body_temp_path {{_dir.Combine("body")}};
              proxy_temp_path {{_dir.Combine("proxy")}};
              fastcgi_temp_path {{_dir.Combine("fastcgi")}};
              uwsgi_temp_path {{_dir.Combine("uwsgi")}};
              scgi_temp_path {{_dir.Combine("scgi")}};
              include {{Upstream}};
              server {
                listen 127.0.0.1:{{_port}};
                location / { proxy_pass http://app; proxy_set_header Host 127.0.0.1; }
              }
            }

            """);
        var check = ExternalProcess.Run("nginx", ["-t", "-c", Config]);
        Assert.True(check.ExitCode == 0, "nginx refuses the configuration: " + check.Error);
        var start = new ProcessStartInfo("nginx") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-c", Config])
            start.ArgumentList.Add(arg);
        _nginx = Process.Start(start)!;
        _nginx.BeginOutputReadLine();
        _nginx.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        // nginx creates its pid file before it writes the pid: a reload needs the number.
        while (!Started() && DateTime.UtcNow < deadline && !_nginx.HasExited)
            Thread.Sleep(50);
        Assert.True(Started(), "nginx did not start: " + (File.Exists(_dir.Combine("error.log")) ? File.ReadAllText(_dir.Combine("error.log")) : ""));
    }

    private string Config => _dir.Combine("nginx.conf");

    private bool Started() => File.Exists(_dir.Combine("nginx.pid")) && File.ReadAllText(_dir.Combine("nginx.pid")).Trim().Length > 0;

    private string Upstream => _dir.Combine("upstream.conf");

    private string From => $"127.0.0.1:{_releases.V10Port}";

    private string To => $"127.0.0.1:{_releases.V11Port}";

    public void Dispose()
    {
        _nginx.Kill(entireProcessTree: true);
        _nginx.WaitForExit();
        _nginx.Dispose();
        _releases.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task The_release_that_answers_follows_the_upstream_weights_after_a_graceful_reload()
    {
        var split = new NginxSplit(Config, Upstream, "app", From, To);
        foreach (var percent in new[] { 0, 10, 50, 100 })
        {
            Assert.Null(await split.SplitAsync(percent, CancellationToken.None));
            await SettledAsync(percent);

            var answers = await TwoReleases.RequestsAsync(_port, 100);

            var onTarget = answers.Count(a => a == "1.1");
            Assert.True(Math.Abs(onTarget - percent) <= 1, $"at {percent}%: {onTarget} of 100 requests reached 1.1");
        }
    }

    [Fact]
    public async Task A_canary_through_nginx_ends_with_all_traffic_on_the_target()
    {
        var outcome = await new CanaryStep().RunAsync(
            new Dictionary<string, string> { ["router"] = "nginx", ["config"] = Config, ["upstream-file"] = Upstream, ["upstream"] = "app", ["from"] = From, ["to"] = To, ["dwell"] = "1s", ["url"] = $"http://127.0.0.1:{_port}/", ["probe"] = $"http://{To}/" },
            new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        await SettledAsync(100);
        Assert.Equal(["1.1", "1.1", "1.1"], await TwoReleases.RequestsAsync(_port, 3));
        Assert.Contains($"server {From} down;", File.ReadAllText(Upstream), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_canary_run_again_resumes_at_the_step_the_target_had_reached()
    {
        var split = new NginxSplit(Config, Upstream, "app", From, To);
        Assert.Null(await split.SplitAsync(10, CancellationToken.None));
        Assert.Equal(10, (await split.TargetPercentAsync(CancellationToken.None)).Value);

        var outcome = await new CanaryStep().RunAsync(
            new Dictionary<string, string> { ["router"] = "nginx", ["config"] = Config, ["upstream-file"] = Upstream, ["upstream"] = "app", ["from"] = From, ["to"] = To, ["dwell"] = "0s", ["url"] = $"http://127.0.0.1:{_port}/", ["probe"] = $"http://{To}/" },
            new StepContext(new Dictionary<string, string>(), _dir.Path, TimeProvider.System) { Attempt = 2 }, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal("10", outcome.Evidence["resumedAt"]);
        Assert.Equal(["step:10", "step:50", "step:100"], outcome.Evidence.Keys.Where(k => k.StartsWith("step:", StringComparison.Ordinal)));
        Assert.Equal(100, (await split.TargetPercentAsync(CancellationToken.None)).Value);
    }

    // A graceful reload hands new connections to new workers a moment later: wait until the new split answers.
    private async Task SettledAsync(int percent)
    {
        var expected = percent == 0 ? "1.0" : percent == 100 ? "1.1" : null;
        for (var i = 0; i < 100; i++)
        {
            if (expected is null || (await TwoReleases.RequestsAsync(_port, 1))[0] == expected)
            {
                await Task.Delay(expected is null ? 1000 : 100);
                return;
            }
            await Task.Delay(50);
        }
    }
}
