using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Targets;

/// <summary>What a slot runs: the artifact's digest, its folder, the loopback port and the command; the pid once started.</summary>
public sealed record SlotState(string Slot, string Digest, string Directory, int Port, string Command, DateTimeOffset StartedAt, int? Pid = null);

/// <summary>
/// App processes of the local target, one per named slot, each run by /bin/sh from its release folder with <c>PORT</c>
/// set, in a session (and process group) of its own so it outlives the command that started it, its output appended to
/// <c>logs/SLOT.log</c>. The slot's owner is its environment: a rollback's target slot keeps running after the command
/// exits, and whoever tears the environment down stops its slots. The session's shell supervises the app: it starts it
/// again whenever it exits, with a growing pause, unless it exits while a deploy waits for it to be healthy or the slot
/// is being stopped. A slot's intent is written durably before the process starts and the shell writes its pid (the
/// group's id) before it runs the command, so after a crash the slot is found again rather than started twice. The
/// slot runs while a process of that group still works in the slot's release folder, which a recycled pid does not;
/// stopping marks the slot as stopping, then signals the whole group, so the shell and the app's children stop with it;
/// a SIGTERM to the shell alone (the recorded pid) stops the whole slot the same way.
/// </summary>
public sealed class LocalProcesses(string root)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    // The session's shell: records its pid (the group's id), then runs the app and starts it again whenever it exits,
    // after 1 s, doubling to at most 30 s while it keeps failing within a minute of starting, counting restarts in
    // RP_RESTARTS. Once RP_STOPFILE exists the slot is being stopped and the app is not started again. A stop's SIGTERM
    // to the group ends the shell and the app alike; a SIGTERM to the shell alone marks the slot stopping and passes
    // the signal on to its whole group, so the app is not left running unsupervised.
    private const string Supervisor = """
        echo $$ > "$RP_PIDFILE"
        trap 'echo stopping 2>/dev/null > "$RP_STOPFILE"; trap - TERM; kill -TERM 0' TERM
        delay=1 restarts=0
        while [ ! -e "$RP_STOPFILE" ]; do
          began=$(date +%s)
          (eval "$RP_RUN") &
          wait $!
          status=$?
          [ -e "$RP_STOPFILE" ] && break
          restarts=$((restarts + 1))
          echo $restarts > "$RP_RESTARTS"
          if [ $(($(date +%s) - began)) -ge 60 ]; then delay=1; fi
          echo "[rollproof] the app exited with status $status; starting it again in ${delay}s (restart $restarts)"
          sleep $delay
          delay=$((delay < 16 ? delay * 2 : 30))
        done
        """;

    public string Root { get; } = Path.GetFullPath(root);

    public string LogOf(string slot) => Path.Combine(Root, "logs", slot + ".log");

    /// <summary>The slot's state if its process is alive, else null.</summary>
    public SlotState? Running(string slot)
    {
        if (Read(slot) is not { } state || ReadPid(slot) is not { } pid || !Alive(pid, state.Directory))
            return null;
        return state with { Pid = pid };
    }

    /// <summary>
    /// Starts <paramref name="command"/> (run by /bin/sh in <paramref name="directory"/>) in <paramref name="slot"/>, then
    /// waits until <paramref name="health"/> answers 2xx, if given. A slot already running the same digest is left as it
    /// is; one running another digest must be stopped first.
    /// </summary>
    public async Task<Result<SlotState>> StartAsync(string slot, string digest, string directory, int port, string command, Uri? health, TimeSpan timeout, TimeProvider clock, CancellationToken cancellation)
    {
        if (Running(slot) is { } running)
            return running.Digest == digest
                ? await ReadyAsync(running, health, timeout, cancellation)
                : Fail($"slot '{slot}' runs {running.Digest} (pid {running.Pid}): drain it before deploying another release there");
        if (await Listening(port, cancellation))
            return Fail($"port {port} is already taken by a process that is not slot '{slot}'");
        var state = new SlotState(slot, digest, Path.GetFullPath(directory), port, command, clock.GetUtcNow());
        Directory.CreateDirectory(Path.Combine(Root, "slots"));
        Directory.CreateDirectory(Path.Combine(Root, "logs"));
        File.Delete(PidPath(slot));
        DurableFile.Replace(StatePath(slot), JsonSerializer.SerializeToUtf8Bytes(state));

        File.Delete(RestartsPath(slot));
        File.Delete(StoppingPath(slot));
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = state.Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""setsid /bin/sh -c 'eval "$RP_SUPERVISE"' < /dev/null >> "$RP_LOG" 2>&1 &""");
        start.Environment["RP_SUPERVISE"] = Supervisor;
        start.Environment["RP_PIDFILE"] = PidPath(slot);
        start.Environment["RP_RESTARTS"] = RestartsPath(slot);
        start.Environment["RP_STOPFILE"] = StoppingPath(slot);
        start.Environment["RP_RUN"] = command;
        start.Environment["RP_LOG"] = LogOf(slot);
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        using (var launcher = Process.Start(start)!)
            await launcher.WaitForExitAsync(cancellation);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (ReadPid(slot) is null && DateTime.UtcNow < deadline)
            await Task.Delay(20, cancellation);
        if (ReadPid(slot) is not { } pid)
            return Fail($"slot '{slot}' did not start: {Tail(LogOf(slot))}");
        return await ReadyAsync(state with { Pid = pid }, health, timeout, cancellation);
    }

    /// <summary>
    /// Stops the slot's process group: marks the slot as stopping (its shell starts nothing again), then SIGTERM, then
    /// SIGKILL after <paramref name="grace"/>. A slot with nothing running is already stopped.
    /// </summary>
    public async Task<SlotState?> StopAsync(string slot, TimeSpan grace, CancellationToken cancellation)
    {
        if (Running(slot) is not { Pid: { } pid } running)
            return null;
        File.WriteAllBytes(StoppingPath(slot), []);
        await ProcessGroups.StopAsync(pid, grace, cancellation);
        return running;
    }

    private async Task<Result<SlotState>> ReadyAsync(SlotState state, Uri? health, TimeSpan timeout, CancellationToken cancellation)
    {
        if (health is null)
            return Result<SlotState>.Ok(state);
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        var restarts = Restarts(state.Slot);
        while (DateTime.UtcNow < deadline)
        {
            if (!Alive(state.Pid!.Value, state.Directory) || Restarts(state.Slot) > restarts)
            {
                // Exiting while we wait for it to be healthy is a broken release, not a crash to recover from: stop trying.
                await StopAsync(state.Slot, TimeSpan.Zero, cancellation);
                return Fail($"slot '{state.Slot}' exited before it was healthy: {Tail(LogOf(state.Slot))}");
            }
            try
            {
                using var answer = await Http.GetAsync(health, cancellation);
                if (answer.IsSuccessStatusCode)
                    return Result<SlotState>.Ok(state);
                last = $"{health} answered {(int)answer.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
            {
                last = $"{health} could not be reached";
            }
            await Task.Delay(100, cancellation);
        }
        return Fail($"slot '{state.Slot}' was not healthy within {timeout}: {last}");
    }

    private static async Task<bool> Listening(int port, CancellationToken cancellation)
    {
        using var probe = new System.Net.Sockets.TcpClient();
        try
        {
            await probe.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellation);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    // Some process of the group, not a zombie (which has no working folder), works in the release folder.
    private static bool Alive(int group, string directory) =>
        ProcessGroups.Members(group).Any(pid => ProcessGroups.WorkingDirectory(pid) is { } cwd
            && Path.TrimEndingDirectorySeparator(cwd) == Path.TrimEndingDirectorySeparator(directory));

    private SlotState? Read(string slot)
    {
        try
        {
            return File.Exists(StatePath(slot)) ? JsonSerializer.Deserialize<SlotState>(File.ReadAllBytes(StatePath(slot))) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The slot's group as its shell recorded it; never init's nor our own, whatever the file says.
    private int? ReadPid(string slot) =>
        File.Exists(PidPath(slot)) && int.TryParse(File.ReadAllText(PidPath(slot)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && pid > 1 && pid != ProcessGroups.OwnGroup ? pid : null;

    private string StatePath(string slot) => Path.Combine(Root, "slots", slot + ".json");

    private string PidPath(string slot) => Path.Combine(Root, "slots", slot + ".pid");

    private string RestartsPath(string slot) => Path.Combine(Root, "slots", slot + ".restarts");

    // Present while the slot is being stopped (or after it was): its shell starts the app no more.
    private string StoppingPath(string slot) => Path.Combine(Root, "slots", slot + ".stopping");

    // How many times the slot's shell has started the app again since the slot started (0 before the first time).
    private int Restarts(string slot)
    {
        try
        {
            return int.TryParse(File.ReadAllText(RestartsPath(slot)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private static string Tail(string log)
    {
        var text = File.Exists(log) ? File.ReadAllText(log) : "";
        return text.Length == 0 ? "(no output)" : text.Length <= 2000 ? text.Trim() : "…" + text[^2000..].Trim();
    }

    private static Result<SlotState> Fail(string message) => Result<SlotState>.Fail(ErrorCodes.TargetFailed, message);
}
