using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// scripts/demo-server.sh, the team demo, run end to end as a user runs it: real SoftHSM2 token, real witness and log
/// servers ('rollproof serve' processes), every person's command against the server with --server. Its last lines
/// report what the story must end with; the script exits non-zero at the first step that fails.
/// </summary>
public sealed class ServerDemoTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_team_demo_runs_through_a_server_with_an_HSM_log_key_and_a_witness_and_its_evidence_and_log_verify()
    {
        var bin = _dir.Combine("rollproof");
        File.WriteAllText(bin, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "Rollproof.Cli.dll")}' \"$@\"\n");
        File.SetUnixFileMode(bin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var work = _dir.Combine("demo");

        var ran = ExternalProcess.Run("bash", [Path.Combine(SharedFiles.RepositoryRoot, "scripts", "demo-server.sh"), "--workdir", work],
            timeout: TimeSpan.FromMinutes(8), environment: new Dictionary<string, string>
            {
                ["ROLLPROOF_DEMO_CLI"] = bin,
                ["HOME"] = Directory.CreateDirectory(_dir.Combine("home")).FullName,
                ["ROLLPROOF_STORE"] = "", ["ROLLPROOF_CONFIG"] = "", ["ROLLPROOF_SERVER"] = "", ["ROLLPROOF_SERVER_LOG_KEY"] = "",
            });

        Assert.True(ran.ExitCode == 0, $"scripts/demo-server.sh failed (exit {ran.ExitCode}):\n{ran.Error}\n{ran.Out}");
        var lines = ran.Out.TrimEnd().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("verified: rollback ", StringComparison.Ordinal) && l.Contains("decision re-derived: approved", StringComparison.Ordinal));
        var last = lines[^5..];
        Assert.Matches(@"^verified: \d+ entries of 'demo\.rollproof\.local/releases' match the checkpoint", last[0]);
        Assert.Equal("== Stopping both servers", last[2]);
        Assert.Matches(@"^witness cosigned checkpoint: \d+ entries$", last[3]);
        Assert.StartsWith("demo-server: done", last[4], StringComparison.Ordinal);
        Assert.Contains("RP1402", ran.Error, StringComparison.Ordinal); // the policy naming a witness that never cosigned was refused
        Assert.Equal("1.0", File.ReadAllText(Path.Combine(work, "current", "VERSION")).Trim());
        Assert.Empty(ProcessesNaming(work)); // both servers were stopped, not left behind
    }

    /// <summary>The ids of running processes whose command line mentions <paramref name="text"/>.</summary>
    private static List<string> ProcessesNaming(string text) =>
        [.. Directory.EnumerateDirectories("/proc").Where(dir => int.TryParse(Path.GetFileName(dir), out _) && CommandLine(dir).Contains(text, StringComparison.Ordinal)).Select(dir => Path.GetFileName(dir))];

    private static string CommandLine(string procDir)
    {
        try { return File.ReadAllText(Path.Combine(procDir, "cmdline")).Replace('\0', ' '); }
        catch (IOException) { return ""; } // the process ended while we looked
        catch (UnauthorizedAccessException) { return ""; }
    }
}
