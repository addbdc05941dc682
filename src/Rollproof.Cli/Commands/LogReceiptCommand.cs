using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands;

internal static class LogReceiptCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = CommonOptions.LogDirectory();
        var index = CommonOptions.NonNegative("--index", "The entry's zero-based index", required: true);
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A cosigned copy of a checkpoint of this log to prove against (default: the current checkpoint)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the receipt to this file instead of stdout (conventionally *.tlog-proof)" };
        var json = CommonOptions.Json();
        var command = new Command("receipt", "Write an offline tlog-proof receipt for an entry: its inclusion proof and the checkpoint it is proven against.")
        {
            dir, index, checkpoint, output, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var opened = LogAccess.OpenVerified(parse.GetValue(dir)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var (log, verified) = opened.Value;
            var signedCheckpoint = verified.Note.ToBytes();
            var size = verified.Checkpoint.Size;
            var builder = new ProofBuilder(new TileNodeSource(log.Storage, size));
            if (parse.GetValue(checkpoint) is { } file)
            {
                var bytes = InputFile.Read(file, Signing.SignedNote.MaxSize, "checkpoint file");
                if (!bytes.IsOk)
                    return cli.Fail(bytes.Problem, asJson);
                var given = Checkpoint.Open(bytes.Value, log.Verifier);
                if (!given.IsOk)
                    return cli.Fail(given.Problem, asJson);
                if (given.Value.Checkpoint.Size > size)
                    return cli.Fail(ErrorCodes.IndexOutOfRange, $"checkpoint '{file}' has size {given.Value.Checkpoint.Size}, beyond this log's {size}", asJson);
                (signedCheckpoint, size) = (bytes.Value, given.Value.Checkpoint.Size);
                // A receipt against a checkpoint from another history would never verify: refuse to write one.
                if (!builder.Root(size).AsSpan().SequenceEqual(given.Value.Checkpoint.RootHash))
                    return cli.Fail(ErrorCodes.CheckpointInconsistent, $"checkpoint '{file}' is not consistent with this log: its root at size {size} differs from the tiles'", asJson);
            }
            var proof = builder.Inclusion(parse.GetValue(index), size);
            if (!proof.IsOk)
                return cli.Fail(proof.Problem, asJson);
            var receipt = new TlogProof(parse.GetValue(index), proof.Value, signedCheckpoint).Format();
            if (parse.GetValue(output) is { } path)
                File.WriteAllText(path, receipt);
            if (asJson)
                cli.WriteJson(new { index = parse.GetValue(index), treeSize = size, file = parse.GetValue(output), receipt });
            else if (parse.GetValue(output) is null)
                cli.Out.Write(receipt);
            else
                cli.Out.WriteLine($"wrote receipt for entry {parse.GetValue(index)} at tree size {size} to {parse.GetValue(output)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
