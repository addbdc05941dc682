using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands;

internal static class LogCosignPolicyCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = CommonOptions.LogDirectory();
        var policy = new Option<string>("--policy") { Description = "A C2SP tlog-policy file: log and witness keys, groups and the quorum", Required = true };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A cosigned checkpoint file to check (default: the log's current checkpoint)" };
        var json = CommonOptions.Json();
        var command = new Command("cosign-policy", "Check a checkpoint's log signature and witness cosignatures against a tlog-policy. Exit 0 only if the quorum is met.")
        {
            dir, policy, checkpoint, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var parsed = LogAccess.LoadPolicy(parse.GetValue(policy)!);
            if (!parsed.IsOk)
                return cli.Fail(parsed.Problem, asJson);
            var note = parse.GetValue(checkpoint) is { } file
                ? InputFile.Read(file, Signing.SignedNote.MaxSize, "checkpoint file")
                : ReadLogCheckpoint(parse.GetValue(dir)!);
            if (!note.IsOk)
                return cli.Fail(note.Problem, asJson);
            var decision = parsed.Value.Evaluate(note.Value);
            if (!decision.IsOk)
                return cli.Fail(decision.Problem, asJson);
            var d = decision.Value;
            if (asJson)
                cli.WriteJson(new { quorumMet = d.QuorumMet, quorum = parsed.Value.Quorum, origin = d.Checkpoint.Origin, size = d.Checkpoint.Size, cosigners = d.Cosigners });
            else
                cli.Out.WriteLine($"quorum '{parsed.Value.Quorum}' met for '{d.Checkpoint.Origin}' at size {d.Checkpoint.Size}; cosigned by: {(d.Cosigners.Count == 0 ? "none" : string.Join(", ", d.Cosigners))}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Result<byte[]> ReadLogCheckpoint(string dir)
    {
        var bytes = new Storage.FileSystemLogStorage(dir).Read(TilePath.Checkpoint);
        return bytes is null ? Result<byte[]>.Fail(ErrorCodes.LogNotInitialised, $"'{dir}' has no checkpoint") : Result<byte[]>.Ok(bytes);
    }
}
