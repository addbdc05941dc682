using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>The checkout's <c>./rollproof</c> launcher, run as a user runs it once it is on their PATH.</summary>
public sealed class LauncherTests
{
    [Fact]
    public void Runs_through_a_symlink_in_another_folder()
    {
        using var bin = new TempDirectory();
        var link = bin.Combine("rollproof");
        File.CreateSymbolicLink(link, Path.Combine(SharedFiles.RepositoryRoot, "rollproof"));

        // The launcher builds the command when its sources changed; no build servers may outlive the test.
        var ran = ExternalProcess.Run(link, ["--version"], environment: BuildTools.WithoutServers);

        Assert.True(ran.ExitCode == 0, $"exit {ran.ExitCode}: {ran.Error}");
        Assert.Matches(@"^\d+\.\d+\.\d+", ran.Out);
    }
}
