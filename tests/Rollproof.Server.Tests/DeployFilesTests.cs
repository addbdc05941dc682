using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>
/// deploy/rollproof.service and deploy/Containerfile: the unit parses cleanly with systemd's own checker (when the
/// machine has it) and both keep the confinement and the command docs/server.md promises.
/// </summary>
public sealed class DeployFilesTests
{
    private static readonly string Deploy = Path.Combine(SharedFiles.RepositoryRoot, "deploy");

    [Fact]
    public void The_systemd_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
            return; // checked by the fields test below alone
        using var dir = new TempDirectory();
        // verify insists that ExecStart's program exists; the unit names where it is installed, not this checkout.
        var unit = dir.Combine("rollproof.service");
        File.WriteAllText(unit, File.ReadAllText(Path.Combine(Deploy, "rollproof.service")).Replace("/usr/local/bin/rollproof", "/bin/true", StringComparison.Ordinal));
        var outcome = ExternalProcess.Run("systemd-analyze", ["verify", unit], timeout: TimeSpan.FromMinutes(1));
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        // Unknown keys and unparsable values are only warnings (exit 0): any line on stderr is a mistake in the unit.
        Assert.Equal("", outcome.Error.Trim());
    }

    [Theory]
    [InlineData("DynamicUser=yes")]
    [InlineData("NoNewPrivileges=yes")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("ProtectHome=yes")]
    [InlineData("PrivateTmp=yes")]
    [InlineData("StateDirectory=rollproof")]
    [InlineData("ReadWritePaths=/var/lib/rollproof")]
    [InlineData("CapabilityBoundingSet=")]
    [InlineData("KillSignal=SIGTERM")]
    [InlineData("ExecStart=/usr/local/bin/rollproof serve --store ${STATE_DIRECTORY}/store --listen 127.0.0.1:8080")]
    public void The_systemd_unit_confines_the_server(string line)
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "rollproof.service")).Select(l => l.Trim());
        Assert.Contains(line, lines);
    }

    [Fact]
    public void The_container_runs_the_server_as_a_non_root_user_with_the_store_on_a_volume()
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "Containerfile")).Select(l => l.Trim()).ToList();
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", lines);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", lines);
        var user = lines.FindLastIndex(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.True(user > lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal)), "the final stage drops root");
        Assert.NotEqual("USER root", lines[user]);
        Assert.Contains("VOLUME /var/lib/rollproof", lines);
        Assert.Contains("CMD [\"serve\", \"--store\", \"/var/lib/rollproof/store\", \"--listen\", \"0.0.0.0:8080\"]", lines);
    }
}
