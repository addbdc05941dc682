using Rollproof.Ledger;

namespace Rollproof.Cli.Infrastructure;

/// <summary>What a command that logged a statement prints: where it is, as JSON or a line for people.</summary>
internal static class LoggedOutput
{
    public static int Report(CliContext cli, LoggedStatement logged, bool asJson, string line)
    {
        if (asJson)
            cli.WriteJson(new { logIndex = logged.Ref.LogIndex, digest = logged.Ref.Digest, loggedAt = logged.Timestamp.Time });
        else
            cli.Out.WriteLine(line);
        return ExitCodes.Ok;
    }
}
