using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Rollproof.Common;

/// <summary>
/// Long-running children (a router, an app slot, a test's servers) run in a session and process group of their own,
/// so that stopping them reaches every process they started, and a terminal's Ctrl-C or a kill of their parent does
/// not leave half of them behind. Linux only: membership is read from <c>/proc</c>.
/// </summary>
public static class ProcessGroups
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Starts <paramref name="start"/>'s program through <c>setsid</c>, which runs it in place (same pid) as the leader
    /// of a new session and group, since a child of .NET never leads a group. A program not found on PATH throws the
    /// <see cref="Win32Exception"/> that <see cref="Process.Start()"/> throws for it.
    /// </summary>
    public static Process StartInNewSession(ProcessStartInfo start)
    {
        var program = start.FileName;
        if (Locate(program) is null)
            throw new Win32Exception(2, $"{program}: not found on PATH");
        var arguments = start.ArgumentList.ToList();
        start.FileName = "setsid";
        start.ArgumentList.Clear();
        foreach (var argument in (string[])[program, .. arguments])
            start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new Win32Exception($"{program} could not be started");
    }

    /// <summary>
    /// Stops process group <paramref name="group"/>: SIGTERM to all of it, SIGKILL to what is left after
    /// <paramref name="grace"/>, then waits until none of it runs (zombies aside: they are their parent's to reap).
    /// </summary>
    public static async Task StopAsync(int group, TimeSpan grace, CancellationToken cancellation)
    {
        if (group <= 1 || group == OwnGroup)
            throw new ArgumentOutOfRangeException(nameof(group), group, "not a group of our own children");
        Posix.Signal(-group, SigTerm);
        if (!await EndsWithinAsync(group, grace, cancellation))
        {
            Posix.Signal(-group, SigKill);
            await EndsWithinAsync(group, AfterKill, cancellation);
        }
    }

    /// <summary>
    /// Stops the group led by <paramref name="leader"/>, a child started by <see cref="StartInNewSession"/>, as
    /// <see cref="StopAsync"/> does, then reaps and disposes it. For a caller that cannot await (a Dispose).
    /// </summary>
    public static void Stop(Process leader, TimeSpan grace)
    {
        StopAsync(leader.Id, grace, CancellationToken.None).GetAwaiter().GetResult();
        leader.WaitForExit();
        leader.Dispose();
    }

    /// <summary>The live processes (not zombies) of <paramref name="group"/>.</summary>
    public static IEnumerable<int> Members(int group) => Pids().Where(pid => Stat(pid) is { State: not 'Z' } stat && stat.Group == group);

    /// <summary>Every process this machine shows us, by pid.</summary>
    public static IEnumerable<int> Pids() => Directory.EnumerateDirectories("/proc")
        .Select(Path.GetFileName)
        .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
        .Where(pid => pid > 0);

    /// <summary>The process group of <paramref name="pid"/>, or null when it is gone or a zombie.</summary>
    public static int? GroupOf(int pid) => Stat(pid) is { State: not 'Z' } stat ? stat.Group : null;

    /// <summary>The process group this process belongs to.</summary>
    public static int OwnGroup => GroupOf(Environment.ProcessId) ?? 0;

    /// <summary>The working folder of <paramref name="pid"/>, or null when it is gone, a zombie, or not ours to see.</summary>
    public static string? WorkingDirectory(int pid)
    {
        try
        {
            return new DirectoryInfo($"/proc/{pid}/cwd").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The command line of <paramref name="pid"/>, its arguments joined by spaces; empty when unknown.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static async Task<bool> EndsWithinAsync(int group, TimeSpan wait, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + wait;
        while (Members(group).Any())
        {
            if (DateTime.UtcNow >= deadline)
                return false;
            await Task.Delay(20, cancellation);
        }
        return true;
    }

    // Field 5 of /proc/PID/stat is the process group.
    private static (char State, int Group)? Stat(int pid) =>
        ProcStat.Of(pid) is { } stat && stat.Number(5) is { } group ? (stat.State, (int)group) : null;

    private static string? Locate(string program) => program.Contains('/', StringComparison.Ordinal)
        ? File.Exists(program) ? program : null
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
}
