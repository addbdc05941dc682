using System.CommandLine;
using System.CommandLine.Help;
using Rollproof.Cli.Commands;
using Rollproof.Cli.Commands.Demo;
using Rollproof.Cli.Commands.Evidence;
using Rollproof.Cli.Commands.Ledger;
using Rollproof.Cli.Commands.Keys;
using Rollproof.Cli.Commands.Releases;
using Rollproof.Cli.Commands.Rollbacks;
using Rollproof.Cli.Commands.Sigstore;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Storage.Remote;

namespace Rollproof.Cli;

/// <summary>The <c>rollproof</c> command line: parsing, dispatch and exit codes. Tests call <see cref="Run"/> with strings.</summary>
public static class CliApp
{
    /// <summary>The root is a plain command named after the launcher, not the assembly (RootCommand takes the process name).</summary>
    public static Command Build(CliContext cli) => new("rollproof", "Rollproof: signed releases, an append-only transparency log, and governed, provable rollbacks.")
    {
        new HelpOption(),
        new VersionOption(),
        cli.Defaults.ConfigOption,
        cli.Defaults.ServerOption,
        cli.Defaults.ServerLogKeyOption,
        InitCommand.Create(cli),
        LogCommand.Create(cli),
        KeyCommand.Create(cli),
        ReleaseCommand.Create(cli),
        DeployCommand.Create(cli),
        PolicyCommand.Create(cli),
        RollbackCommand.Create(cli),
        DrillCommand.Create(cli),
        RunbookCommand.Create(cli),
        EvidenceCommand.Create(cli),
        TrustCommand.Create(cli),
        QueryCommand.Create(cli),
        IndexCommand.Create(cli),
        GcCommand.Create(cli),
        TrustedRootCommand.Create(cli),
        VerifyBundleCommand.Create(cli),
        ServeCommand.Create(cli),
        ServerTokenCommand.Create(cli),
        DemoCommand.Create(cli),
    };

    public static int Run(string[] args, CliContext cli)
    {
        ServerToken.Value = cli.Defaults.Variable(ServerToken.Variable);
        ServerWaits.Notices = cli.Error;
        var root = Build(cli);
        HelpExamples.AddTo(root, cli);
        ParseResult parse;
        try
        {
            parse = root.Parse(args); // a default read from an unusable rollproof.yaml stops here
        }
        catch (ProblemException e)
        {
            return cli.Fail(e.Problem, args.Contains("--json"));
        }
        if (parse.Errors.Count > 0 && !HelpExamples.Asked(parse))
            return UsageErrors.Report(parse, cli, args.Contains("--json"));
        try
        {
            var configuration = new InvocationConfiguration { Output = cli.Out, Error = cli.Error, EnableDefaultExceptionHandler = false };
            if (parse.CommandResult.Command is InterruptibleCommand)
                configuration.ProcessTerminationTimeout = null;
            return parse.Invoke(configuration);
        }
        catch (Exception e)
        {
            return Report(e is AggregateException { InnerExceptions: [var inner] } ? inner : e, cli, args.Contains("--json"));
        }
    }

    // Expected failures that surface as exceptions (disk, permissions, a damaged database or record) are input errors, not bugs.
    private static int Report(Exception e, CliContext cli, bool json)
    {
        switch (e)
        {
            case ProblemException problem:
                return cli.Fail(problem.Problem, json);
            case OperationCanceledException:
                // SIGINT or SIGTERM outside a runbook step (a step journals its own interruption): an operator's act, not a bug.
                cli.Error.WriteLine("interrupted (SIGINT or SIGTERM) before the command finished; a rollback run continues with 'rollproof rollback resume REQUEST'");
                return ExitCodes.Interrupted;
            case IOException or UnauthorizedAccessException or System.Data.Common.DbException or System.Text.Json.JsonException:
                return cli.Fail(ErrorCodes.InputMalformed, e.Message, json);
            case HttpRequestException or Amazon.Runtime.AmazonServiceException or Amazon.Runtime.AmazonClientException:
                return cli.Fail(ErrorCodes.RegistryFailed, $"the artifact store could not be reached or refused the request: {e.Message}", json);
            default:
                cli.Error.WriteLine($"internal error (please report): {e}");
                return ExitCodes.InternalError;
        }
    }
}
