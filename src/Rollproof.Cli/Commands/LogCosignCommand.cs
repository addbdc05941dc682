using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands;

/// <summary>
/// A minimal witness: cosigns a log's checkpoint only after checking it is consistent with the last checkpoint this
/// witness cosigned, so the log cannot show it two different histories.
/// </summary>
internal static class LogCosignCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = new Argument<string>("DIR") { Description = "The log's tiles directory" };
        var key = new Option<string>("--key") { Description = "The witness's signer-key file (from 'log keygen NAME --cosigner')", Required = true };
        var logKey = new Option<string>("--log-vkey") { Description = "The log's verifier key", Required = true };
        var state = new Option<string?>("--state") { Description = "The witness's memory: the last checkpoint it cosigned for this log (created if missing)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the cosigned checkpoint to this file instead of stdout" };
        var json = CommonOptions.Json();
        var command = new Command("cosign", "Act as a witness: verify the log's checkpoint and its consistency with the last one cosigned, then add a tlog-cosignature v1.")
        {
            dir, key, logKey, state, output, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var witness = NoteSignerFile.Load(parse.GetValue(key)!, "witness");
            if (!witness.IsOk)
                return cli.Fail(witness.Problem, asJson);
            if (witness.Value is not CosignatureV1Signer)
                return cli.Fail(ErrorCodes.UnsupportedKeyType, $"'{parse.GetValue(key)}' is not a cosigning key (make one with 'rollproof log keygen NAME --cosigner')", asJson);
            var verifier = NoteKeys.ParseVerifierKey(parse.GetValue(logKey)!);
            if (!verifier.IsOk)
                return cli.Fail(verifier.Problem, asJson);
            var storage = new FileSystemLogStorage(parse.GetValue(dir)!);
            var current = Checkpoint.Open(storage.Read(TilePath.Checkpoint) ?? [], verifier.Value);
            if (!current.IsOk)
                return cli.Fail(current.Problem, asJson);
            var statePath = parse.GetValue(state);
            if (statePath is not null)
            {
                var proofs = new ProofBuilder(new TileNodeSource(storage, current.Value.Checkpoint.Size));
                var consistent = SeenCheckpoint.CheckExtends(statePath, verifier.Value, current.Value.Checkpoint, proofs);
                if (consistent is not null)
                    return cli.Fail(consistent, asJson);
            }
            var cosigned = current.Value.Note.AddSignatures(witness.Value).ToString();
            // The witness's memory must survive a power loss before its cosignature is given out.
            if (statePath is not null)
                SeenCheckpoint.Remember(statePath, System.Text.Encoding.UTF8.GetBytes(cosigned));
            if (parse.GetValue(output) is { } path)
                File.WriteAllText(path, cosigned);
            if (asJson)
                cli.WriteJson(new { witness = witness.Value.Name, size = current.Value.Checkpoint.Size, checkpoint = cosigned });
            else if (parse.GetValue(output) is null)
                cli.Out.Write(cosigned);
            return ExitCodes.Ok;
        });
        return command;
    }
}
