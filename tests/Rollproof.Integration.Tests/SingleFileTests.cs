using Rollproof.Testing;

namespace Rollproof.Integration.Tests;

/// <summary>
/// The self-contained single file that scripts/publish.sh makes. Publishing it takes minutes (ReadyToRun of every
/// assembly), too long for the suite: run it with
/// <c>ROLLPROOF_TEST_SINGLE_FILE=1 dotnet test tests/Rollproof.Integration.Tests -c Release --filter SingleFileTests</c>.
/// </summary>
public sealed class SingleFileTests
{
    [SingleFileFact]
    public void Runs_from_one_file_with_nothing_beside_it()
    {
        using var dir = new TempDirectory();
        var published = ExternalProcess.Run("bash", [Path.Combine(SharedFiles.RepositoryRoot, "scripts", "publish.sh"), dir.Combine("bin")],
            timeout: TimeSpan.FromMinutes(30), environment: BuildTools.WithoutServers);
        Assert.True(published.ExitCode == 0, "publish failed: " + published.Error);
        var binary = published.Out.Trim();
        Assert.Equal([binary], Directory.GetFiles(dir.Combine("bin")));

        var store = dir.Combine("store");
        // SQLite's native library unpacks from the file; the index it opens shows it works.
        var init = ExternalProcess.Run(binary, ["init", store], environment: new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = dir.Combine("extract") });
        var list = ExternalProcess.Run(binary, ["release", "list", "--store", store, "--json"], environment: new Dictionary<string, string> { ["DOTNET_BUNDLE_EXTRACT_BASE_DIR"] = dir.Combine("extract") });

        Assert.True(init.ExitCode == 0, $"init: exit {init.ExitCode}: {init.Error}");
        Assert.True(list.ExitCode == 0, $"release list: exit {list.ExitCode}: {list.Error}");
    }

    private sealed class SingleFileFactAttribute : FactAttribute
    {
        public SingleFileFactAttribute()
        {
            if (Environment.GetEnvironmentVariable("ROLLPROOF_TEST_SINGLE_FILE") != "1")
                Skip = "publishing takes minutes; set ROLLPROOF_TEST_SINGLE_FILE=1 to run";
        }
    }
}
