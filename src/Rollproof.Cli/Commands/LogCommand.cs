using System.CommandLine;
using Rollproof.Cli.Infrastructure;

namespace Rollproof.Cli.Commands;

internal static class LogCommand
{
    public static Command Create(CliContext cli) => new("log", "The transparency log: C2SP tiles, signed checkpoints, inclusion and consistency proofs, witnesses and receipts.")
    {
        LogKeygenCommand.Create(cli),
        LogInitCommand.Create(cli),
        LogVerifierKeyCommand.Create(cli),
        LogAppendCommand.Create(cli),
        LogCheckpointCommand.Create(cli),
        LogProveCommand.Create(cli),
        LogConsistencyCommand.Create(cli),
        LogVerifyCommand.Create(cli),
        LogRepairCommand.Create(cli),
        LogReceiptCommand.Create(cli),
        LogVerifyReceiptCommand.Create(cli),
        LogCosignCommand.Create(cli),
        LogCosignPolicyCommand.Create(cli),
    };
}
