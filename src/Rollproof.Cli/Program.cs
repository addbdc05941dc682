using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;

return CliApp.Run(args, CliContext.ForConsole());
