using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;

namespace Rollproof.Cli.Commands.Rollbacks;

/// <summary><c>rollproof runbook default</c> prints the default emergency runbook, to read or to start one's own from; <c>runbook check</c> checks one.</summary>
internal static class RunbookCommand
{
    public static Command Create(CliContext cli)
    {
        var show = new Command("default", "Print Rollproof's default emergency runbook (used by rollback execute and drill without --runbook); its {{vars.NAME}} are given with --set NAME=VALUE");
        show.SetAction(_ =>
        {
            cli.Out.Write(RunbookVariables.Default);
            return ExitCodes.Ok;
        });
        return new Command("runbook", "Runbooks: the steps a rollback runs (docs/runbooks.md)") { show, RunbookCheckCommand.Create(cli) };
    }
}
