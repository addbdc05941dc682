using System.CommandLine;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands.Releases;

internal static class ReleaseCommand
{
    public static Command Create(CliContext cli) => new("release", "Signed releases: create, sign, publish, verify, push, pull, list, show.")
    {
        ReleaseCreateCommand.Create(cli),
        ReleaseSignCommand.Create(cli),
        ReleasePublishCommand.Create(cli),
        ReleaseVerifyCommand.Create(cli),
        ReleasePushCommand.Create(cli),
        ReleasePullCommand.Create(cli),
        ReleaseListCommand.Create(cli),
        ReleaseShowCommand.Create(cli),
    };
}
