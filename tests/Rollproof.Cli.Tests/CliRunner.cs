using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Tests;

/// <summary>Runs the command line in-process from a string, as a user would type it, capturing output and exit code.</summary>
public static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Out, string Error);

    public static Outcome Run(params string[] args) => RunWith(null, args);

    /// <summary>As <see cref="Run"/>, seeing only <paramref name="environment"/> as its environment variables (all of the process's when null).</summary>
    public static Outcome RunWith(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, new CliContext(output, error, interactive: false, environment is null ? null : environment.GetValueOrDefault));
        return new Outcome(code, output.ToString(), error.ToString());
    }
}
