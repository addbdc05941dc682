using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Ledger;

namespace Rollproof.Runbooks;

/// <summary>Who holds an environment's lock: the execution, and the process that last ran it (absent in locks written before processes were recorded).</summary>
public sealed record LockOwner(string Execution, ProcessIdentity? Process, DateTimeOffset? Since)
{
    /// <summary>On a server's lock (<see cref="ServerEnvironmentLock"/>): the actor whose token took it, the only one who renews, resumes or releases it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] // a local lock keeps its format
    public string? Actor { get; init; }

    /// <summary>On a server's lock: until when the run is under way unless renewed; after it, the run counts as crashed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>On a server's lock: the log's size when it was taken; only an override logged from then on releases it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LogSizeWhenTaken { get; init; }

    public override string ToString() =>
        $"execution {Execution}" + (Process is { } p ? $" (pid {p.Pid} on {p.Host}, since {Since:O})" : "") + (Actor is { } a ? $", run by {a}" : "");
}

/// <summary>While disposed only at the end of a run, says to every other process that the run is under way.</summary>
public sealed class LockHold(IDisposable running, bool fresh) : IDisposable
{
    /// <summary>The lock did not exist before this run took it (so a run refused before it started releases it).</summary>
    public bool Fresh { get; } = fresh;

    public void Dispose() => running.Dispose();
}

/// <summary>
/// One rollback per environment at a time, and one process per execution. The lock file names the execution that
/// holds the environment and the process that runs it; it survives a crash on purpose, so only that execution (on
/// resume) or a logged override releases it. Whether a run is under way is told by an OS lock (flock, through
/// <see cref="FileShare.None"/>) on a second file, held for the whole run: the kernel drops it when the process ends,
/// however it ends, so a crashed run is told from a running one without guessing.
/// </summary>
public sealed class EnvironmentLock(string directory, string environment) : IEnvironmentLock
{
    public string Path { get; } = System.IO.Path.Combine(directory, environment + ".lock");

    private static readonly TimeSpan OwnerWrittenWithin = TimeSpan.FromSeconds(5);

    private string RunningPath => System.IO.Path.Combine(directory, environment + ".running");

    /// <summary>
    /// Takes the lock for <paramref name="execution"/> (or takes it back after a crash) and marks the run as under way
    /// until the hold is disposed. Refused, naming the holder, while another execution holds the environment, while
    /// any run is under way there, and while the process named in the lock still lives.
    /// </summary>
    public Result<LockHold> Acquire(string execution, TimeProvider clock)
    {
        Directory.CreateDirectory(directory);
        FileStream running;
        try
        {
            running = new FileStream(RunningPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return Result<LockHold>.Fail(ErrorCodes.EnvironmentLocked, $"{environment} is being rolled back right now by {RunningOwner()}; wait for it to end");
        }
        var handedOver = false;
        try
        {
            var owner = Owner();
            if (owner is not null && owner.Execution != execution)
                return Result<LockHold>.Fail(ErrorCodes.EnvironmentLocked, $"{environment} is locked by {owner} ({Path}); resume it, or override the lock with a logged reason");
            // No run is under way here, yet the process named may live: on another host (whose runs this one cannot see), or started afresh under a reused name.
            if (owner?.Process is { } process && process != ProcessIdentity.Current && process.IsAlive())
                return Result<LockHold>.Fail(ErrorCodes.EnvironmentLocked, $"{environment} is locked by {owner}, whose process may still run it; if it is gone, override the lock with a logged reason");
            var mine = new LockOwner(execution, ProcessIdentity.Current, clock.GetUtcNow());
            // Written whole to a temporary file and renamed into place: a crash leaves the old owner or the new, never an empty lock.
            DurableFile.Replace(Path, JsonSerializer.SerializeToUtf8Bytes(mine, PredicateJson.Options));
            handedOver = true;
            return Result<LockHold>.Ok(new LockHold(running, fresh: owner is null));
        }
        finally
        {
            if (!handedOver)
                running.Dispose();
        }
    }

    /// <summary>Who holds the lock; null when nobody does, or when a lock from an older version was left empty by a crash before it named anyone (nothing ran under it).</summary>
    public LockOwner? Owner()
    {
        if (!File.Exists(Path))
            return null;
        var text = File.ReadAllText(Path, Encoding.UTF8).Trim();
        if (text.Length == 0)
            return null;
        if (!text.StartsWith('{'))
            return new LockOwner(text, null, null); // an older version wrote the execution alone
        try
        {
            return JsonSerializer.Deserialize<LockOwner>(text, PredicateJson.Options);
        }
        catch (JsonException)
        {
            return new LockOwner(text, null, null);
        }
    }

    public string? Holder() => Owner()?.Execution;

    public bool RunsNow(LockOwner owner) => owner.Process?.IsAlive() == true;

    // A run writes its name into the lock just after it takes the OS lock: give it that moment before naming whoever
    // the lock names (nobody yet, or the crashed process a resume is taking over from).
    private string RunningOwner()
    {
        var deadline = DateTime.UtcNow + OwnerWrittenWithin;
        while (true)
        {
            var owner = Owner();
            if (owner?.Process is { } process && process.IsAlive() || DateTime.UtcNow >= deadline)
                return owner?.ToString() ?? "another process";
            Thread.Sleep(20);
        }
    }

    /// <summary>Whether a run holds the environment right now (only a lock no run holds may be overridden).</summary>
    public bool Running()
    {
        if (!File.Exists(RunningPath))
            return false;
        try
        {
            using var probe = new FileStream(RunningPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public Problem? ReleaseOverridden(string holder, LoggedStatement logged)
    {
        Release(holder);
        return null;
    }

    public void Release(string execution)
    {
        if (Holder() == execution)
        {
            File.Delete(Path);
            Posix.FsyncDirectory(directory);
        }
    }
}
