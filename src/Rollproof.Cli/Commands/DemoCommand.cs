using System.CommandLine;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands;

internal static class DemoCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("demo", "Walk through the log: append, prove, verify.");
        command.SetAction(_ => ExitCodes.Ok);
        return command;
    }
}
