using Rollproof.Cli;
using Rollproof.Cli.Infrastructure;
using Rollproof.Runbooks;

// Usage: Rollproof.CrashHost ARGS... (as rollproof ARGS...), with ROLLPROOF_CRASH_AT=step-done:ID or run-done to be
// killed with SIGKILL there (see CrashPoint). The crash trials run this host instead of the shipped command.
CrashPoint.Arm(Environment.GetEnvironmentVariable("ROLLPROOF_CRASH_AT"));
return CliApp.Run(args, CliContext.ForConsole());
