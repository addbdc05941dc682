using System.Diagnostics;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// The rollproof command line as built beside the tests, run as its own process (so it can be killed): the shipped
/// one, or the crash trials' host (tests/Rollproof.CrashHost), the same command with ROLLPROOF_CRASH_AT armed.
/// </summary>
internal static class RollproofCli
{
    private static string Program => Path.Combine(AppContext.BaseDirectory, "Rollproof.Cli.dll");

    private static string CrashHost => Path.Combine(AppContext.BaseDirectory, "Rollproof.CrashHost.dll");

    public static ExternalProcess.Outcome Run(string[] args, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ExternalProcess.Run("dotnet", [Program, .. args], timeout: timeout ?? TimeSpan.FromMinutes(2), environment: environment);

    /// <summary>Runs the command in the crash trials' host, armed to kill itself with SIGKILL at <paramref name="point"/>.</summary>
    public static ExternalProcess.Outcome RunCrashingAt(string point, string[] args) =>
        ExternalProcess.Run("dotnet", [CrashHost, .. args], timeout: TimeSpan.FromMinutes(2), environment: new Dictionary<string, string> { ["ROLLPROOF_CRASH_AT"] = point });

    /// <summary>Starts the command without waiting for it; its output is redirected.</summary>
    public static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Program, .. args])
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
