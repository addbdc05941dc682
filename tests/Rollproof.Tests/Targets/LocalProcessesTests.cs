using Rollproof.Common;
using Rollproof.Targets;
using Rollproof.Testing;

namespace Rollproof.Tests.Targets;

/// <summary>Slots of the local target with real processes (sh and sleep): started detached, found again, stopped.</summary>
public sealed class LocalProcessesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LocalProcesses _slots;

    public LocalProcessesTests()
    {
        _slots = new LocalProcesses(_dir.Combine("local"));
        Directory.CreateDirectory(_dir.Combine("release-a"));
        Directory.CreateDirectory(_dir.Combine("release-b"));
    }

    public void Dispose()
    {
        foreach (var slot in (string[])["blue", "green"])
            _slots.StopAsync(slot, TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_slot_runs_detached_with_its_port_and_is_found_again_then_stops_on_sigterm()
    {
        var port = LoopbackHttp.FreePort();
        var started = await StartAsync("blue", "sha256:aa", "release-a", port, "echo started on $PORT; exec sleep 60");

        Assert.True(started.IsOk, started.Problem?.Message);
        var running = new LocalProcesses(_slots.Root).Running("blue");
        Assert.Equal((started.Value.Pid, "sha256:aa"), (running?.Pid, running?.Digest));
        await WaitForAsync(() => File.ReadAllText(_slots.LogOf("blue")).Contains($"started on {port}", StringComparison.Ordinal));

        var again = await StartAsync("blue", "sha256:aa", "release-a", port, "exec sleep 60");
        Assert.Equal(started.Value.Pid, again.Value.Pid);

        var stopped = await _slots.StopAsync("blue", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(started.Value.Pid, stopped?.Pid);
        Assert.Null(_slots.Running("blue"));
        Assert.Null(await _slots.StopAsync("blue", TimeSpan.FromSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task An_app_that_dies_is_started_again_by_its_slot_and_a_stop_ends_both()
    {
        var started = await StartAsync("blue", "sha256:aa", "release-a", LoopbackHttp.FreePort(), "echo app up; exec sleep 60");
        Assert.True(started.IsOk, started.Problem?.Message);
        await WaitForAsync(() => File.ReadAllText(_slots.LogOf("blue")).Contains("app up", StringComparison.Ordinal));

        var group = started.Value.Pid!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, ExternalProcess.Run("pkill", ["-KILL", "-g", group, "-x", "sleep"]).ExitCode);

        await WaitForAsync(() => File.ReadAllText(_slots.LogOf("blue")).Split('\n').Count(l => l == "app up") == 2);
        Assert.Contains("[rollproof] the app exited with status 137; starting it again in 1s (restart 1)", File.ReadAllText(_slots.LogOf("blue")), StringComparison.Ordinal);
        Assert.Equal(started.Value.Pid, _slots.Running("blue")?.Pid);
        using var health = new LoopbackHttp(_ => Task.CompletedTask);
        var again = await StartAsync("blue", "sha256:aa", "release-a", LoopbackHttp.FreePort(), "exec sleep 60", new Uri($"http://127.0.0.1:{health.Port}/health"));
        Assert.True(again.IsOk, again.Problem?.Message); // restarted once, long ago: deploying it again finds it healthy
        await _slots.StopAsync("blue", TimeSpan.FromSeconds(5), CancellationToken.None);
        var left = ExternalProcess.Run("ps", ["-e", "-o", "pgid=,stat="]).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f[0] == group && !f[1].StartsWith('Z'));
        Assert.Empty(left); // zombies aside: who reaps them is up to this machine's init
    }

    [Fact]
    public async Task A_sigterm_to_the_slots_recorded_pid_stops_its_app_too_and_starts_nothing_again()
    {
        var started = await StartAsync("blue", "sha256:aa", "release-a", LoopbackHttp.FreePort(), "echo app up; exec sleep 60");
        Assert.True(started.IsOk, started.Problem?.Message);
        await WaitForAsync(() => File.ReadAllText(_slots.LogOf("blue")).Contains("app up", StringComparison.Ordinal));

        Assert.Equal(0, ExternalProcess.Run("kill", ["-TERM", started.Value.Pid!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ExitCode);

        await WaitForAsync(() => !ProcessGroups.Members(started.Value.Pid!.Value).Any());
        Assert.Null(_slots.Running("blue"));
        Assert.Single(File.ReadAllText(_slots.LogOf("blue")).Split('\n'), l => l == "app up");
    }

    [Fact]
    public async Task A_process_that_ignores_sigterm_is_killed_after_the_grace()
    {
        Assert.True((await StartAsync("blue", "sha256:aa", "release-a", LoopbackHttp.FreePort(), "trap '' TERM; while true; do sleep 0.1; done")).IsOk);

        var stopped = await _slots.StopAsync("blue", TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.NotNull(stopped);
        Assert.Null(_slots.Running("blue"));
    }

    [Fact]
    public async Task A_slot_running_another_release_or_a_taken_port_is_refused()
    {
        using var taken = new LoopbackHttp(_ => Task.CompletedTask);
        Assert.True((await StartAsync("blue", "sha256:aa", "release-a", LoopbackHttp.FreePort(), "exec sleep 60")).IsOk);

        var other = await StartAsync("blue", "sha256:bb", "release-b", LoopbackHttp.FreePort(), "exec sleep 60");
        var busy = await StartAsync("green", "sha256:bb", "release-b", taken.Port, "exec sleep 60");

        Assert.Equal(ErrorCodes.TargetFailed, other.Problem?.Code);
        Assert.Contains("drain it before deploying another release there", other.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains($"port {taken.Port} is already taken", busy.Problem?.Message, StringComparison.Ordinal);
        Assert.Null(_slots.Running("green"));
    }

    [Fact]
    public async Task A_process_that_exits_before_it_is_healthy_fails_with_its_output()
    {
        var port = LoopbackHttp.FreePort();

        var started = await StartAsync("blue", "sha256:aa", "release-a", port, "echo missing configuration >&2; exit 3", new Uri($"http://127.0.0.1:{port}/health"));

        Assert.Equal(ErrorCodes.TargetFailed, started.Problem?.Code);
        Assert.Contains("missing configuration", started.Problem!.Message, StringComparison.Ordinal);
        Assert.Null(_slots.Running("blue")); // not left restarting
    }

    [Fact]
    public async Task A_slot_is_healthy_once_its_health_url_answers()
    {
        using var app = new LoopbackHttp(_ => Task.CompletedTask);

        var started = await StartAsync("blue", "sha256:aa", "release-a", LoopbackHttp.FreePort(), "exec sleep 60", new Uri($"http://127.0.0.1:{app.Port}/health"));

        Assert.True(started.IsOk, started.Problem?.Message);
    }

    private Task<Result<SlotState>> StartAsync(string slot, string digest, string release, int port, string command, Uri? health = null) =>
        _slots.StartAsync(slot, digest, _dir.Combine(release), port, command, health, TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }
}
