using System.CommandLine;
using Rollproof.Cli.Infrastructure;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Cli.Commands;

internal static class LogVerifyCommand
{
    public static Command Create(CliContext cli)
    {
        var dir = new Argument<string>("DIR_OR_URL") { Description = "Any C2SP tlog-tiles log, ours or another implementation's: a directory (checkpoint, tile/…) or a served log's URL prefix (http:// or https://, e.g. a 'rollproof serve')" };
        var vkey = new Option<string>("--vkey") { Description = "The log's verifier key string (name+hex(id)+base64(type||key)); its name must be the origin", Required = true };
        var state = new Option<string?>("--state") { Description = "This verifier's memory of the last checkpoint it verified, which every later one must extend (default: ~/.config/rollproof/seen/, one file per origin and log key, shared with 'release verify')" };
        var json = CommonOptions.Json();
        var command = new Command("verify", "Re-verify a whole log: the checkpoint's signature, that it extends the last checkpoint this verifier verified and (for a directory) every checkpoint the log's writer recorded publishing, every entry against its tile, every tile against the tiles below it, and the root; and, in a log directory that keeps signed entry timestamps (timestamps/), each one's signature and that none is earlier than the one before it. Exit 0 only if all of it holds; otherwise the first bad resource is named.")
        {
            dir, vkey, state, json,
        };
        command.SetAction(parse =>
        {
            var asJson = parse.GetValue(json);
            var key = NoteKeys.ParseVerifierKey(parse.GetValue(vkey)!);
            if (!key.IsOk)
                return cli.Fail(key.Problem, asJson);
            var path = parse.GetValue(dir)!;
            var served = ServedLog.Url(path);
            if (served is null && !Directory.Exists(path))
                return cli.Fail(ErrorCodes.InputMissing, $"directory '{path}' does not exist", asJson);
            using var http = served is null ? null : ServedLog.Client();
            ILogStorage storage = served is null ? new FileSystemLogStorage(path) : new HttpLogStorage(http!, served);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var opened = storage is FileSystemLogStorage local ? LogDirectory.ReadCheckpoint(local, key.Value) : ServedLog.ReadCheckpoint(storage, key.Value);
            if (!opened.IsOk)
                return cli.Fail(opened.Problem, asJson);
            var verified = cli.WithProgress("verifying entries", opened.Value.Checkpoint.Size, progress => TileLogAuditor.Verify(storage, opened.Value.Checkpoint, progress));
            if (!verified.IsOk)
                return cli.Fail(verified.Problem, asJson);
            var checkpoint = verified.Value;
            var timestamps = served is null ? new EntryTimestampStore(path) : null;
            if (timestamps is { Exists: true } && EntryTimestampAudit.Verify(storage, timestamps, key.Value, checkpoint.Size) is { } stamped)
                return cli.Fail(stamped, asJson);
            var memory = parse.GetValue(state) ?? VerifierState.DefaultPath(key.Value.Name, key.Value);
            if (SeenCheckpoint.CheckExtends(memory, key.Value, checkpoint, new ProofBuilder(new TileNodeSource(storage, checkpoint.Size))) is { } rewound)
                return cli.Fail(rewound, asJson);
            SeenCheckpoint.Remember(memory, opened.Value.Note.ToBytes());
            if (asJson)
                cli.WriteJson(new { verified = true, origin = checkpoint.Origin, size = checkpoint.Size, rootHash = Convert.ToBase64String(checkpoint.RootHash), seconds = started.Elapsed.TotalSeconds });
            else
                cli.Out.WriteLine($"verified: {checkpoint.Size} entries of '{checkpoint.Origin}' match the checkpoint (root {Convert.ToBase64String(checkpoint.RootHash)}) in {started.Elapsed.TotalSeconds:0.00} s");
            return ExitCodes.Ok;
        });
        return command;
    }
}
