using System.Text.RegularExpressions;
using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// README.md's "Quickstart: your own app", run as a new user would: every <c>sh</c> block between its markers, exactly
/// as written, in one bash (stopping at the first failing command) in an empty folder, with <c>rollproof</c> on the
/// PATH as the command built beside these tests and nothing configured in the environment. A README command that
/// stops working fails this test.
/// </summary>
public sealed partial class ReadmeQuickstartTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_quickstart_runs_as_written_and_rolls_the_app_back_to_1_0_with_evidence_that_verifies()
    {
        var blocks = QuickstartBlocks(File.ReadAllText(Path.Combine(SharedFiles.RepositoryRoot, "README.md")));
        Assert.True(blocks.Count >= 3, "the README's quickstart markers or its sh blocks are missing");
        var work = Directory.CreateDirectory(_dir.Combine("myapp")).FullName;
        var bin = Directory.CreateDirectory(_dir.Combine("bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "rollproof"), $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "Rollproof.Cli.dll")}' \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "rollproof"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = _dir.Combine("quickstart.sh");
        File.WriteAllText(script, $"set -euo pipefail\ncd '{work}'\n{string.Join('\n', blocks)}");

        var ran = ExternalProcess.Run("bash", [script], timeout: TimeSpan.FromMinutes(8), environment: new Dictionary<string, string>
        {
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["HOME"] = Directory.CreateDirectory(_dir.Combine("home")).FullName, // the verifier's memory and the default keyring stay in here
            ["ROLLPROOF_STATE_DIR"] = _dir.Combine("home", "state"),
            ["ROLLPROOF_STORE"] = "", ["ROLLPROOF_CONFIG"] = "", ["ROLLPROOF_KEYS"] = "", ["ROLLPROOF_PASSPHRASE"] = "",
        });

        Assert.True(ran.ExitCode == 0, $"the README quickstart failed (exit {ran.ExitCode}):\n{ran.Error}\n{ran.Out}");
        Assert.Equal("1.0", File.ReadAllText(Path.Combine(work, "current", "VERSION")).Trim());
        Assert.True(File.Exists(Path.Combine(work, "evidence.zip")));
        Assert.True(File.Exists(Path.Combine(work, "keys", "ops.key")), "keys went to the keyring rollproof.yaml names");
        Assert.Contains("execution logged", ran.Out, StringComparison.Ordinal);
    }

    private static List<string> QuickstartBlocks(string readme)
    {
        var start = readme.IndexOf("<!-- quickstart", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- end of quickstart -->", StringComparison.Ordinal);
        if (start < 0 || end < start)
            return [];
        return [.. ShellBlock().Matches(readme[start..end]).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^```sh\n(.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex ShellBlock();
}
