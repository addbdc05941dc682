using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands;

internal static class LogConsistencyCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = CommonOptions.LogDirectory();
        var old = CommonOptions.NonNegative("--old", "The older tree size", required: true);
        var @new = CommonOptions.NonNegative("--new", "The newer tree size (default: the current checkpoint's)", required: false);
        var json = CommonOptions.Json();
        var command = new Command("consistency", "Print the RFC 6962 consistency proof that the tree of the old size is a prefix of the tree of the new size.")
        {
            dir, old, @new, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var opened = LogAccess.OpenVerified(parse.GetValue(dir)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var (log, verified) = opened.Value;
            var current = verified.Checkpoint.Size;
            var oldSize = parse.GetValue(old);
            var newSize = parse.GetResult(@new) is null ? current : parse.GetValue(@new);
            if (newSize > current)
                return cli.Fail(ErrorCodes.IndexOutOfRange, $"--new {newSize} is beyond the checkpoint's size {current}", asJson);
            var builder = new ProofBuilder(new TileNodeSource(log.Storage, current));
            var proof = builder.Consistency(oldSize, newSize);
            if (!proof.IsOk)
                return cli.Fail(proof.Problem, asJson);
            var result = new
            {
                oldSize,
                newSize,
                oldRoot = Convert.ToBase64String(builder.Root(oldSize)),
                newRoot = Convert.ToBase64String(builder.Root(newSize)),
                hashes = proof.Value.Select(Convert.ToBase64String).ToList(),
            };
            if (asJson)
            {
                cli.WriteJson(result);
            }
            else
            {
                cli.Out.WriteLine($"tree {oldSize} ({result.oldRoot}) is a prefix of tree {newSize} ({result.newRoot})");
                foreach (var hash in result.hashes)
                    cli.Out.WriteLine(hash);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
