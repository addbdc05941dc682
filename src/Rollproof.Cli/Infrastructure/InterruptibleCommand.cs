using System.CommandLine;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// A command that handles SIGINT and SIGTERM itself (<see cref="OperatorInterrupt"/>): its cleanup (stopping a step's
/// processes, journaling) must run to the end, so System.CommandLine's own handler, which returns after two seconds
/// whether or not the command has finished, is switched off for it (<see cref="CliApp.Run"/>).
/// </summary>
internal sealed class InterruptibleCommand(string name, string description) : Command(name, description);
