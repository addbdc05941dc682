using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands;

internal static class LogProveCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = CommonOptions.LogDirectory();
        var index = CommonOptions.NonNegative("--index", "The entry's zero-based index", required: true);
        var size = CommonOptions.NonNegative("--size", "The tree size to prove against (default: the current checkpoint's)", required: false);
        var json = CommonOptions.Json();
        var command = new Command("prove", "Print the RFC 6962 inclusion proof (audit path, bottom-up, base64) of an entry in a tree size.")
        {
            dir, index, size, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var opened = LogAccess.OpenVerified(parse.GetValue(dir)!);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var (log, verified) = opened.Value;
            var current = verified.Checkpoint.Size;
            var treeSize = parse.GetResult(size) is null ? current : parse.GetValue(size);
            if (treeSize > current)
                return cli.Fail(ErrorCodes.IndexOutOfRange, $"--size {treeSize} is beyond the checkpoint's size {current}", asJson);
            var builder = new ProofBuilder(new TileNodeSource(log.Storage, current));
            var proof = builder.Inclusion(parse.GetValue(index), treeSize);
            if (!proof.IsOk)
                return cli.Fail(proof.Problem, asJson);
            var root = builder.Root(treeSize);
            var hashes = proof.Value.Select(Convert.ToBase64String).ToList();
            if (asJson)
            {
                cli.WriteJson(new { index = parse.GetValue(index), treeSize, rootHash = Convert.ToBase64String(root), hashes });
            }
            else
            {
                cli.Out.WriteLine($"index {parse.GetValue(index)} in tree size {treeSize} (root {Convert.ToBase64String(root)})");
                foreach (var hash in hashes)
                    cli.Out.WriteLine(hash);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
