using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;
using Spectre.Console;

namespace Rollproof.Cli.Commands.Rollbacks.Progress;

/// <summary>
/// Shows a run's progress while <c>work</c> runs it, always on stderr so that stdout keeps only the result (text, or
/// JSON with <c>--json</c>): a live status line on a terminal (<see cref="LiveRunProgress"/>), plain lines otherwise and
/// with <c>--json</c> (<see cref="PlainRunProgress"/>).
/// </summary>
internal static class RunDisplay
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    public static async Task<T> RunAsync<T>(CliContext cli, bool asJson, Func<IRunProgress, Task<T>> work)
    {
        if (!cli.Interactive || asJson)
        {
            using var plain = new PlainRunProgress(cli.Error, TimeProvider.System);
            return await work(plain);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(cli.Error) });
        return await console.Status().StartAsync("starting", async status =>
        {
            var live = new LiveRunProgress(console, status, TimeProvider.System);
            using var ticks = TimeProvider.System.CreateTimer(_ => live.Refresh(), null, Refresh, Refresh);
            return await work(live);
        });
    }
}
