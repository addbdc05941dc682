namespace Rollproof.Common;

/// <summary>
/// A process named so that it cannot be mistaken for a later one that reuses its pid: the pid, the host and the
/// process's start time since boot (<c>/proc/PID/stat</c>, field 22).
/// </summary>
public sealed record ProcessIdentity(int Pid, string Host, long StartTicks)
{
    // Without /proc (not Linux) the start time is unknown: 0, so only the pid and host tell processes apart.
    public static ProcessIdentity Current { get; } = Of(Environment.ProcessId) ?? new(Environment.ProcessId, Environment.MachineName, 0);

    /// <summary>The process <paramref name="pid"/> on this host, or null when there is none.</summary>
    public static ProcessIdentity? Of(int pid) => StartOf(pid) is { } start ? new(pid, Environment.MachineName, start) : null;

    /// <summary>Whether this process still runs: always true for one on another host, which this one cannot see.</summary>
    public bool IsAlive() => Host != Current.Host || StartOf(Pid) == StartTicks;

    // Field 22: the process's start time, in clock ticks since boot.
    private static long? StartOf(int pid) => ProcStat.Of(pid)?.Number(22);
}
