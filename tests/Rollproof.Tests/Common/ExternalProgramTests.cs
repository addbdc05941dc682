using Rollproof.Common;
using Rollproof.Testing;

namespace Rollproof.Tests.Common;

/// <summary>
/// External programs stay bounded: long output keeps its head and tail and says how much was cut, what a program wrote
/// before its time ran out is kept, and a timeout or a cancellation ends its whole process group, grandchildren that
/// left its process tree included.
/// </summary>
public sealed class ExternalProgramTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Output_beyond_the_bound_keeps_its_head_and_tail_and_says_how_much_was_cut()
    {
        var ran = await ShellCommand.RunAsync("printf FIRST-LINE; head -c 1000000 /dev/zero | tr '\\0' x; printf LAST-LINE", _dir.Path, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(0, ran.ExitCode);
        Assert.StartsWith("FIRST-LINE", ran.Output, StringComparison.Ordinal);
        Assert.EndsWith("LAST-LINE", ran.Output, StringComparison.Ordinal);
        Assert.True(ran.Output.Length < 16 << 10, $"{ran.Output.Length} characters kept");
        Assert.Contains($"[{1000019 - ShellCommand.MaxCaptured} bytes cut]", ran.Output, StringComparison.Ordinal);
        Assert.Equal(1000019 - ShellCommand.MaxCaptured, ran.OutputCut);
    }

    [Fact]
    public async Task What_a_program_wrote_before_its_time_ran_out_is_kept()
    {
        var ran = await ShellCommand.RunAsync("echo started; echo warning >&2; exec sleep 300", _dir.Path, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Null(ran.ExitCode);
        Assert.Equal("started\n", ran.Output);
        Assert.Equal("warning\n", ran.Error);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_group_also_a_grandchild_that_left_the_tree()
    {
        var pidFile = _dir.Combine("grandchild.pid");

        var ran = await ShellCommand.RunAsync(Detached(pidFile), _dir.Path, TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Null(ran.ExitCode);
        await AssertEndsAsync(int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_cancellation_kills_the_whole_process_group_and_is_reported_as_one()
    {
        var pidFile = _dir.Combine("grandchild.pid");
        using var cancel = new CancellationTokenSource();
        using var started = new FileSystemWatcher(_dir.Path, "grandchild.pid") { EnableRaisingEvents = true };
        var written = new TaskCompletionSource();
        started.Renamed += (_, _) => written.TrySetResult();

        var running = ShellCommand.RunAsync(Detached(pidFile), _dir.Path, Timeout.InfiniteTimeSpan, cancel.Token);
        await written.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await AssertEndsAsync(int.Parse(File.ReadAllText(pidFile), System.Globalization.CultureInfo.InvariantCulture));
    }

    // A subshell starts a sleep in the background and exits at once, so the sleep is reparented away from the
    // command's process tree (where a tree walk no longer finds it), but stays in its process group. Its pid is
    // written to a file by rename, so the file appears complete.
    private static string Detached(string pidFile) =>
        $"( sleep 300 > /dev/null 2>&1 & echo $! > '{pidFile}.tmp'; mv '{pidFile}.tmp' '{pidFile}' ); exec sleep 300";

    // SIGKILL takes effect asynchronously: wait for the process to be gone (or a zombie), within a generous bound.
    private static async Task AssertEndsAsync(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Alive(pid) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.False(Alive(pid), $"process {pid} outlived the command that started it");
    }

    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
