using Rollproof.Common;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Demo;

/// <summary>Where the demo environment keeps things, as the runbook refers to them.</summary>
internal sealed record DemoEnvironment(string Database, string SigningKey, string PublicKey, string Local, string Quarantine, string Notifications, DemoRouter Router);

/// <summary>
/// The demo runs Rollproof's default emergency runbook (<see cref="RunbookVariables.Default"/>) with the demo
/// environment's settings: blue is the target's slot, green the bad release's, and the app's own verification suite
/// checks that signatures verify under the published key.
/// </summary>
internal static class DemoRunbook
{
    public static Result<string> Render(DemoEnvironment env, string dwell) => RunbookVariables.Fill(RunbookVariables.Default, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["notify-dir"] = env.Notifications,
        ["socket"] = env.Router.Socket,
        ["backend"] = "app",
        ["hold"] = "hold",
        ["current-slot"] = "green",
        ["target-slot"] = "blue",
        ["local"] = env.Local,
        ["target-port"] = env.Router.BluePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["run"] = RunCommand(env),
        ["health"] = "/health",
        ["database"] = env.Database,
        ["verify"] = $"dotnet \"{{{{steps.deploy-target.directory}}}}/Docsign.dll\" check http://127.0.0.1:{env.Router.BluePort} {Sh(env.PublicKey)}",
        ["quarantine"] = env.Quarantine,
        ["dwell"] = dwell,
    });

    /// <summary>How a slot starts docsign: from its release folder, with the environment's database and signing key.</summary>
    public static string RunCommand(DemoEnvironment env) => $"env DOCSIGN_DB={Sh(env.Database)} DOCSIGN_KEY={Sh(env.SigningKey)} dotnet Docsign.dll";

    private static string Sh(string text) => $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
