using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Cli.Commands;

internal static class LogRepairCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = CommonOptions.LogDirectory();
        var accept = new Option<bool>("--accept-rewind") { Description = "Required: accept that the log goes back to its restored checkpoint, and that entries published after it are lost to every reader" };
        var reason = new Option<string>("--reason") { Description = $"Why (one line, at most {LogRepairNote.MaxReasonLength} characters): signed into the repair and logged", Required = true };
        var key = new Option<string?>("--key") { Description = "The log's key (a key file or a pkcs11: URI naming a key in a token), if not the one recorded by 'log init'" };
        var json = CommonOptions.Json();
        var command = new Command("repair", "Accept a log restored from an older copy (a backup after a lost disk), which every writer and reader otherwise refuses (RP1314). The restored log must verify in full; the repair, signed by the log key and naming the checkpoint published before and the one accepted, is recorded and then logged as the next entry. A log that extends its records is left alone.")
        {
            dir, accept, reason, key, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var asJson = parse.GetValue(json);
            // A flag, not a default: going back is never done without being asked for in so many words.
            if (!parse.GetValue(accept))
                return cli.Usage("log repair goes back to the restored checkpoint only with --accept-rewind", asJson);
            var why = parse.GetValue(reason)!;
            if (LogRepairNote.CheckReason(why) is { } unusable)
                return cli.Usage($"--reason: {unusable}", asJson);
            var log = LogDirectory.Open(parse.GetValue(dir)!);
            if (!log.IsOk)
                return cli.Fail(log.Problem, asJson);
            var repaired = await LogRepair.RunAsync(log.Value, why, TimeProvider.System, parse.GetValue(key));
            if (!repaired.IsOk)
                return cli.Fail(repaired.Problem, asJson);
            if (repaired.Value is not { } done)
            {
                if (asJson)
                    cli.WriteJson(new { repaired = false });
                else
                    cli.Out.WriteLine("nothing to repair: the log extends every checkpoint its writer published");
                return ExitCodes.Ok;
            }
            // This machine's map of the log describes the tree given up: it is made again from the log as it is now.
            var map = KindMapCache.PathFor(log.Value.Config);
            if (File.Exists(map))
                File.Delete(map);
            if (asJson)
                cli.WriteJson(new { repaired = true, rewound = Tree(done.Note.Rewound), accepted = Tree(done.Note.Accepted), index = done.Index });
            else
                cli.Out.WriteLine($"accepted the rewind of {done.Note.Accepted.Origin} from {RecordedCheckpoints.Describe(done.Note.Rewound)} to {RecordedCheckpoints.Describe(done.Note.Accepted)}; the repair is logged at index {done.Index}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static object Tree(Checkpoint checkpoint) => new { size = checkpoint.Size, rootHash = Convert.ToBase64String(checkpoint.RootHash) };
}
