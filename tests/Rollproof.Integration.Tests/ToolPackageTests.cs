using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>The .NET tool package that scripts/pack.sh makes, installed as a user installs it, running a real command.</summary>
public sealed class ToolPackageTests
{
    [Fact]
    public void Installs_with_dotnet_tool_install_and_creates_a_store()
    {
        using var dir = new TempDirectory();
        var packages = dir.Combine("package");
        // The suite built Release already; packing that build keeps the test cheap.
        var packed = ExternalProcess.Run("bash", [Path.Combine(SharedFiles.RepositoryRoot, "scripts", "pack.sh"), packages, "--no-build"], environment: BuildTools.WithoutServers);
        Assert.True(packed.ExitCode == 0, "pack failed: " + packed.Error);

        // Only the package just made may answer for its name, and no copy cached by an earlier run.
        var config = dir.Combine("nuget.config");
        File.WriteAllText(config, $"""<configuration><packageSources><clear /><add key="packed" value="{packages}" /></packageSources></configuration>""");
        var tools = dir.Combine("tools");
        var installed = ExternalProcess.Run("dotnet", ["tool", "install", "--tool-path", tools, "--configfile", config, "Rollproof.Cli"],
            environment: new Dictionary<string, string>(BuildTools.WithoutServers) { ["NUGET_PACKAGES"] = dir.Combine("nuget-cache") });
        Assert.True(installed.ExitCode == 0, "tool install failed: " + installed.Out + installed.Error);

        var store = dir.Combine("store");
        var ran = ExternalProcess.Run(Path.Combine(tools, "rollproof"), ["init", store]);

        Assert.True(ran.ExitCode == 0, $"exit {ran.ExitCode}: {ran.Error}");
        Assert.True(File.Exists(Path.Combine(store, "log", "checkpoint")), "init wrote no checkpoint: " + ran.Out);
    }
}
