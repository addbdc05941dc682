using System.CommandLine;
using Rollproof.Common;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// Reports a command line that does not parse (unknown option, missing argument, bad value): the errors and where to
/// find usage on stderr, and, when <c>--json</c> was asked for, the same as a JSON error on stdout, so a script that
/// reads stdout is never left with nothing. Exit 2 either way.
/// </summary>
internal static class UsageErrors
{
    public static int Report(ParseResult parse, CliContext cli, bool json)
    {
        var messages = parse.Errors.Select(e => e.Message).ToList();
        var usage = $"Run '{string.Join(' ', ["rollproof", HelpExamples.PathOf(parse.CommandResult.Command)]).TrimEnd()} --help' for usage.";
        if (json)
            cli.WriteJson(new { error = new { code = ErrorCodes.CommandLineInvalid, message = string.Join("; ", messages), usage } });
        foreach (var message in messages)
            cli.Error.WriteLine($"error: {message}");
        cli.Error.WriteLine(usage);
        return ExitCodes.Usage;
    }
}
