using System.Diagnostics;
using Rollproof.Storage.Remote;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>
/// A team member's machine: the CLI run as its own process with its own state (so its own replica of the served store
/// and its own execution journals), presenting a token as <c>$ROLLPROOF_TOKEN</c>.
/// </summary>
public sealed class ClientMachine(string stateDir)
{
    public string StateDir { get; } = stateDir;

    public ExternalProcess.Outcome Run(string token, params string[] args) =>
        ExternalProcess.Run("dotnet", [ServeProcess.Program, .. args], timeout: TimeSpan.FromMinutes(2), environment: Environment(token));

    /// <summary>Starts the command without waiting for it; its output is redirected.</summary>
    public Process Start(string token, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[ServeProcess.Program, .. args])
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in Environment(token))
            start.Environment[name] = value;
        return Process.Start(start)!;
    }

    private Dictionary<string, string> Environment(string token) => new() { ["ROLLPROOF_STATE_DIR"] = StateDir, [ServerToken.Variable] = token };
}
