using System.Diagnostics;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Runbooks;
using Rollproof.Testing;

namespace Rollproof.Tests.Runbooks;

/// <summary>
/// One run per environment: a run under way is never joined nor taken over, whoever asks; a lock whose process is
/// gone is taken back by its own execution only; the lock always names its owner whole.
/// </summary>
public sealed class EnvironmentLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private EnvironmentLock Lock => new(_dir.Path, "prod");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_run_under_way_refuses_a_second_run_of_the_same_execution_naming_its_process()
    {
        using var first = Lock.Acquire("7", TimeProvider.System).Value;

        var second = Lock.Acquire("7", TimeProvider.System);

        Assert.Equal(ErrorCodes.EnvironmentLocked, second.Problem?.Code);
        Assert.Contains($"execution 7 (pid {Environment.ProcessId} on {Environment.MachineName}, since ", second.Problem!.Message, StringComparison.Ordinal);
        Assert.True(Lock.Running());
    }

    [Fact]
    public async Task A_run_that_has_taken_the_os_lock_but_not_yet_named_itself_is_named_once_it_has()
    {
        // The moment between a run's OS lock and its name in the lock file, as a second run started with it meets it.
        using var running = new FileStream(Path.Combine(_dir.Path, "prod.running"), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        var second = Task.Run(() => Lock.Acquire("7", TimeProvider.System));
        await Task.Delay(200);
        var owner = new LockOwner("7", ProcessIdentity.Current, DateTimeOffset.UnixEpoch);
        File.WriteAllBytes(Lock.Path, JsonSerializer.SerializeToUtf8Bytes(owner, PredicateJson.Options));

        var refused = await second;

        Assert.Contains($"right now by execution 7 (pid {Environment.ProcessId} on {Environment.MachineName}", refused.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_run_ends_its_execution_takes_the_lock_back_and_another_is_refused()
    {
        using (var first = Lock.Acquire("7", TimeProvider.System).Value)
            Assert.True(first.Fresh);

        Assert.False(Lock.Running());
        Assert.Contains("locked by execution 7", Lock.Acquire("8", TimeProvider.System).Problem!.Message, StringComparison.Ordinal);
        using var again = Lock.Acquire("7", TimeProvider.System).Value;
        Assert.False(again.Fresh);
    }

    [Fact]
    public void The_lock_names_its_owner_whole_and_leaves_no_temporary_file()
    {
        using var hold = Lock.Acquire("7", TimeProvider.System).Value;

        var owner = JsonSerializer.Deserialize<LockOwner>(File.ReadAllText(Lock.Path), PredicateJson.Options)!;
        Assert.Equal(("7", ProcessIdentity.Current), (owner.Execution, owner.Process));
        Assert.Equal(["prod.lock", "prod.running"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_lock_whose_process_lives_is_not_taken_back_and_one_whose_process_is_gone_is()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "120") { UseShellExecute = false })!;
        var owner = new LockOwner("7", ProcessIdentity.Of(sleeper.Id), DateTimeOffset.UnixEpoch);
        File.WriteAllBytes(Lock.Path, JsonSerializer.SerializeToUtf8Bytes(owner, PredicateJson.Options));

        var refused = Lock.Acquire("7", TimeProvider.System);
        Assert.Equal(ErrorCodes.EnvironmentLocked, refused.Problem?.Code);
        Assert.Contains($"pid {sleeper.Id}", refused.Problem!.Message, StringComparison.Ordinal);

        sleeper.Kill();
        sleeper.WaitForExit();
        using var taken = Lock.Acquire("7", TimeProvider.System).Value;
        Assert.Equal(ProcessIdentity.Current, Lock.Owner()!.Process);
    }

    [Fact]
    public void A_reused_pid_does_not_pass_for_the_process_that_wrote_the_lock()
    {
        var reused = ProcessIdentity.Current with { StartTicks = ProcessIdentity.Current.StartTicks - 1, Pid = 1 };
        File.WriteAllBytes(Lock.Path, JsonSerializer.SerializeToUtf8Bytes(new LockOwner("7", reused, DateTimeOffset.UnixEpoch), PredicateJson.Options));

        Assert.True(Lock.Acquire("7", TimeProvider.System).IsOk);
    }

    [Fact]
    public void A_lock_held_on_another_host_is_never_taken_back()
    {
        var elsewhere = ProcessIdentity.Current with { Host = "elsewhere" };
        File.WriteAllBytes(Lock.Path, JsonSerializer.SerializeToUtf8Bytes(new LockOwner("7", elsewhere, DateTimeOffset.UnixEpoch), PredicateJson.Options));

        Assert.Contains("on elsewhere", Lock.Acquire("7", TimeProvider.System).Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "8", true)]
    [InlineData("7\n", "7", true)]
    [InlineData("7\n", "8", false)]
    public void A_lock_written_by_an_older_version_is_read(string content, string execution, bool taken)
    {
        File.WriteAllText(Lock.Path, content);

        Assert.Equal(taken, Lock.Acquire(execution, TimeProvider.System).IsOk);
    }
}
