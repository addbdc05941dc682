using System.Text.Json;
using Rollproof.Cli.Infrastructure;
using Rollproof.Testing;
using static Rollproof.Cli.Tests.CliRunner;

namespace Rollproof.Cli.Tests;

/// <summary>The log walkthrough (<c>demo log</c>) and the demo's refusals; the rollback story itself runs against haproxy in the integration tests.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public void The_demo_runs_every_step_and_catches_the_tampering()
    {
        using var dir = new TempDirectory();
        var result = Run("demo", "log", "--dir", dir.Combine("demo"), "--entries", "300", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal(300, json.GetProperty("size").GetInt64());
        var steps = json.GetProperty("timeline").EnumerateArray().Select(s => s.GetProperty("step").GetString()).ToList();
        Assert.Equal(["init", "append", "checkpoint", "prove", "consistency", "witness", "receipt", "audit", "tamper"], steps);
        Assert.Contains("RP1305", json.GetProperty("timeline")[8].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_demos_refuse_a_non_empty_directory_and_bad_settings_before_doing_anything()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("x"), "x");
        Assert.Equal(ExitCodes.InputError, Run("demo", "log", "--dir", dir.Path).ExitCode);
        Assert.Equal(ExitCodes.Usage, Run("demo", "log", "--entries", "1").ExitCode);

        var refused = Run("demo", "--workdir", dir.Path);
        Assert.Equal(ExitCodes.InputError, refused.ExitCode);
        Assert.Contains("is not empty", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, Run("demo", "--workdir", dir.Combine("new"), "--dwell", "soon").ExitCode);
        Assert.Equal(["x"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }
}
