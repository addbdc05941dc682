namespace Rollproof.Integration.Tests;

/// <summary>What a test needs to run the .NET SDK itself (the launcher's build, pack, tool install).</summary>
internal static class BuildTools
{
    /// <summary>No MSBuild node, build server or compiler server may outlive the test that started it.</summary>
    public static IReadOnlyDictionary<string, string> WithoutServers { get; } = new Dictionary<string, string>
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
    };
}
