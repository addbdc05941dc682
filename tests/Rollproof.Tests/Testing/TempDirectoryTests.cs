using System.Diagnostics;
using System.Globalization;
using Rollproof.Common;
using Rollproof.Testing;

namespace Rollproof.Tests.Testing;

/// <summary>
/// A test's folder owns what runs in it: disposing it stops the processes working there or naming it, those in a
/// session of their own with all of their group (a slot whose command line was killed), then deletes the folder.
/// </summary>
public sealed class TempDirectoryTests
{
    [Fact]
    public void Disposing_stops_the_processes_left_working_in_the_folder_or_naming_it_then_deletes_it()
    {
        var dir = new TempDirectory();
        // A detached session as a slot's is: its leader works in the folder, its child (the app) keeps running after it.
        var detached = new ProcessStartInfo("sh") { WorkingDirectory = dir.Path, UseShellExecute = false };
        foreach (var argument in (string[])["-c", "sleep 300 & echo $! > app.pid; wait"])
            detached.ArgumentList.Add(argument);
        using var leader = ProcessGroups.StartInNewSession(detached);
        // One of this test host's own group that only names the folder, as a command line given a store there does.
        var named = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in (string[])["-c", "read line", dir.Combine("store")])
            named.ArgumentList.Add(argument);
        using var child = Process.Start(named)!;
        var app = WaitForPid(dir.Combine("app.pid"));

        dir.Dispose();

        Assert.True(child.WaitForExit(TimeSpan.FromSeconds(30)), "the process naming the folder still runs");
        Assert.True(leader.WaitForExit(TimeSpan.FromSeconds(30)), "the detached session's leader still runs");
        Assert.Null(ProcessGroups.GroupOf(app)); // gone, or a zombie for init to reap
        Assert.False(Directory.Exists(dir.Path));
    }

    private static int WaitForPid(string file)
    {
        for (var i = 0; i < 200; i++)
        {
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                return pid;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"{file} was not written");
    }
}
