using System.Diagnostics;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>The rollproof command line as built beside the tests, run as its own process (so it can be killed).</summary>
internal static class RollproofCli
{
    private static string Program => Path.Combine(AppContext.BaseDirectory, "Rollproof.Cli.dll");

    public static ExternalProcess.Outcome Run(string[] args, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null) =>
        ExternalProcess.Run("dotnet", [Program, .. args], timeout: timeout ?? TimeSpan.FromMinutes(2), environment: environment);

    /// <summary>Starts the command without waiting for it; its output is redirected.</summary>
    public static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Program, .. args])
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
