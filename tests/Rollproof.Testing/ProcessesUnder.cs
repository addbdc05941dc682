using System.Diagnostics;
using Rollproof.Common;

namespace Rollproof.Testing;

/// <summary>
/// The processes a test left behind in its folder: those whose working folder is inside it or whose command line
/// names it, such as an environment's slots, a router or server started with a configuration file there, or a command
/// line killed mid-way and what it had started. Found by <c>/proc</c>, not by who started them, so the children of a
/// command line killed with SIGKILL are found too.
/// </summary>
public static class ProcessesUnder
{
    private const int Rounds = 3;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<int> Find(string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        return [.. ProcessGroups.Pids().Where(pid => pid != Environment.ProcessId && Inside(pid, root))];
    }

    /// <summary>
    /// Stops what <see cref="Find"/> finds: a process in a group of its own (a slot, a server started in its own
    /// session) with its whole group, SIGTERM then SIGKILL; one in this test host's group alone, with SIGKILL. Looks
    /// again afterwards, in case one was started meanwhile.
    /// </summary>
    public static void Stop(string folder)
    {
        for (var round = 0; round < Rounds && Find(folder) is { Count: > 0 } found; round++)
        {
            var own = ProcessGroups.OwnGroup;
            var groups = found.Select(ProcessGroups.GroupOf).OfType<int>().Where(g => g > 1 && g != own).Distinct();
            foreach (var alone in found.Where(pid => ProcessGroups.GroupOf(pid) == own))
                Kill(alone);
            Task.WaitAll([.. groups.Select(g => ProcessGroups.StopAsync(g, Grace, CancellationToken.None))]);
        }
    }

    private static bool Inside(int pid, string root) =>
        ProcessGroups.WorkingDirectory(pid) is { } cwd && (cwd == root || cwd.StartsWith(root + "/", StringComparison.Ordinal))
        || ProcessGroups.CommandLine(pid).Contains(root, StringComparison.Ordinal);

    private static void Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // gone meanwhile
        }
    }
}
