using System.CommandLine;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleaseCommand
{
    public static Command Create(CliContext cli) => new("release", "Signed releases: publish, verify, list, show.")
    {
        ReleasePublishCommand.Create(cli),
        ReleaseVerifyCommand.Create(cli),
        ReleaseListCommand.Create(cli),
        ReleaseShowCommand.Create(cli),
    };
}
