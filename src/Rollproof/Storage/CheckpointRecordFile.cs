using System.Security.Cryptography;
using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// A record of a writer's checkpoints in one append-only text file (docs/log-format.md), one line each:
/// <c>signed BASE64-NOTE</c> (fsynced before that checkpoint is published), <c>published SIZE ROOT</c> (after it is),
/// <c>repaired BASE64-NOTE</c> (a deliberate rewind, <see cref="LogRepairNote"/>). Its lines are checked with the log
/// key, so editing it without the key can only make it unreadable. Only its tail is read: opening a log costs the
/// same however long the history grows.
/// </summary>
public sealed class CheckpointRecordFile(string path, INoteVerifier logKey) : ICheckpointRecord
{
    // Every line is a few hundred bytes; the tail read holds the last lines many times over.
    private const int TailSize = 16 * 1024;
    private const int ShortTailSize = 4 * 1024;
    private const int MaxLineLength = 8 * 1024;

    public string Path { get; } = path;

    /// <summary>The record kept in a log directory's own state: catches a restore of its checkpoint, or of its tiles.</summary>
    public static CheckpointRecordFile InLog(string logPath, INoteVerifier logKey) =>
        new(System.IO.Path.Combine(logPath, ".rollproof", "checkpoints.log"), logKey);

    /// <summary>
    /// The record kept in the writer's own state (<see cref="VerifierHome"/>), one per origin and log key: catches a
    /// restore of the whole log directory, record included, on the machine that writes it.
    /// </summary>
    public static CheckpointRecordFile OfWriter(INoteVerifier logKey)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(logKey.Name + "\n" + Convert.ToHexStringLower(NoteKeyId.CheckpointKeyId(logKey)))))[..32];
        return new(System.IO.Path.Combine(VerifierHome.Root, "published", name + ".log"), logKey);
    }

    /// <summary>Both records of the log in <paramref name="logPath"/>: its own, and its writer's on this machine.</summary>
    public static IReadOnlyList<CheckpointRecordFile> For(string logPath, INoteVerifier logKey) => [InLog(logPath, logKey), OfWriter(logKey)];

    public Result<RecordedCheckpoints> Read()
    {
        List<string> lines;
        bool whole;
        try
        {
            // A server reads the record several times per request: the last few lines are read first, and the whole
            // tail only when they hold no publication with a line before it (what the full tail would find).
            (lines, whole) = Tail(ShortTailSize);
            if (!whole && !EndsWithPublication(lines))
                (lines, whole) = Tail(TailSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unusable($"cannot be read: {e.Message}");
        }
        var at = lines.Count - 1;
        Checkpoint? unconfirmed = null;
        if (at >= 0 && IsSigned(lines[at]))
        {
            var signed = ParseSigned(lines[at]);
            if (!signed.IsOk)
                return signed.Problem;
            unconfirmed = signed.Value;
        }
        // Signed lines after the latest publication were never published (a crash before it): skip them.
        while (at >= 0 && IsSigned(lines[at]))
            at--;
        if (at < 0)
            return whole ? Result<RecordedCheckpoints>.Ok(new RecordedCheckpoints(Path, null, unconfirmed)) : Unusable("holds no published checkpoint in its last 16 KiB");
        var latest = ParseLatest(lines, at);
        return latest.IsOk ? Result<RecordedCheckpoints>.Ok(new RecordedCheckpoints(Path, latest.Value, unconfirmed)) : latest.Problem;
    }

    public Problem? Adopt(RecordedCheckpoints read, byte[] signedCheckpoint, Checkpoint current)
    {
        try
        {
            CutTornLine();
            if (RecordedCheckpoints.SameTree(current, read.Latest))
                return null;
            if (!RecordedCheckpoints.SameTree(current, read.Unconfirmed))
                Signing(signedCheckpoint);
            Published(current);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Problem(ErrorCodes.CheckpointRecordUnusable, $"the record of published checkpoints {Path} cannot be written: {e.Message}");
        }
    }

    public void Signing(byte[] signedCheckpoint) => Append($"signed {Convert.ToBase64String(signedCheckpoint)}\n", durable: true);

    // Not fsynced: a lost line only looks like a crash before publishing, which the next open settles, and the next
    // signed line's fsync makes it durable anyway.
    public void Published(Checkpoint checkpoint) =>
        Append($"published {checkpoint.Size} {Convert.ToBase64String(checkpoint.RootHash)}\n", durable: false);

    /// <summary>Durably records a deliberate rewind: from now on the log is checked against the checkpoint it accepts.</summary>
    public void Repaired(byte[] signedRepairNote)
    {
        CutTornLine();
        Append($"repaired {Convert.ToBase64String(signedRepairNote)}\n", durable: true);
    }

    private static bool IsSigned(string line) => line.StartsWith("signed ", StringComparison.Ordinal);

    // Whether the latest line that is not a signed one exists and has a line before it: all Read looks at.
    private static bool EndsWithPublication(List<string> lines) => lines.FindLastIndex(line => !IsSigned(line)) >= 1;

    private Result<Checkpoint> ParseLatest(List<string> lines, int at)
    {
        var line = lines[at];
        if (line.StartsWith("repaired ", StringComparison.Ordinal))
        {
            var note = Decode(line, "repaired ");
            if (note is null)
                return Unusable($"line '{Shorten(line)}' is not base64");
            var repair = LogRepairNote.Open(note, logKey);
            return repair.IsOk ? Result<Checkpoint>.Ok(repair.Value.Accepted) : Unusable(repair.Problem.Message);
        }
        var parts = line.Split(' ');
        if (parts is not ["published", var sizeText, var rootText] || !StrictDecimal.TryParse(sizeText, out var size) || !StrictBase64.TryDecode(rootText, out var root))
            return Unusable($"line '{Shorten(line)}' is not in its format");
        // A publication names the checkpoint signed on the line before it; that line holds its signature.
        if (at == 0 || !IsSigned(lines[at - 1]))
            return Unusable($"line '{Shorten(line)}' follows no signed checkpoint");
        var signed = ParseSigned(lines[at - 1]);
        if (!signed.IsOk)
            return signed.Problem;
        return signed.Value.Size == size && signed.Value.RootHash.AsSpan().SequenceEqual(root)
            ? signed
            : Unusable($"line '{Shorten(line)}' names another tree than the checkpoint signed before it");
    }

    private Result<Checkpoint> ParseSigned(string line)
    {
        var note = Decode(line, "signed ");
        if (note is null)
            return Unusable($"line '{Shorten(line)}' is not base64");
        var opened = Checkpoint.Open(note, logKey);
        return opened.IsOk ? Result<Checkpoint>.Ok(opened.Value.Checkpoint) : Unusable($"a signed checkpoint does not verify with the log key: {opened.Problem.Message}");
    }

    private static byte[]? Decode(string line, string prefix) =>
        StrictBase64.TryDecode(line[prefix.Length..], out var bytes) ? bytes : null;

    // The complete lines of the file's last tailSize bytes, and whether that is the whole file; a last line without its
    // newline was cut short by a crash, before the checkpoint it names was published, and is left out.
    private (List<string> Lines, bool Whole) Tail(int tailSize)
    {
        if (!File.Exists(Path))
            return ([], true);
        using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var start = Math.Max(0, file.Length - tailSize);
        file.Seek(start, SeekOrigin.Begin);
        var bytes = new byte[file.Length - start];
        file.ReadExactly(bytes);
        var text = Encoding.ASCII.GetString(bytes);
        if (start > 0)
            text = text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        var lines = text.Split('\n').ToList();
        lines.RemoveAt(lines.Count - 1);
        return (lines, start == 0);
    }

    private void CutTornLine()
    {
        if (!File.Exists(Path))
            return;
        using var file = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var start = Math.Max(0, file.Length - MaxLineLength);
        file.Seek(start, SeekOrigin.Begin);
        var tail = new byte[file.Length - start];
        file.ReadExactly(tail);
        if (tail.Length == 0 || tail[^1] == '\n')
            return;
        file.SetLength(start + Array.LastIndexOf(tail, (byte)'\n') + 1);
        file.Flush(flushToDisk: true);
    }

    private void Append(string line, bool durable)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var created = !File.Exists(Path);
        Directory.CreateDirectory(directory);
        using (var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, 1))
        {
            file.Write(Encoding.ASCII.GetBytes(line));
            file.Flush(flushToDisk: durable);
        }
        if (created)
            Posix.FsyncDirectory(directory);
    }

    private Problem Unusable(string what) => new(ErrorCodes.CheckpointRecordUnusable, $"the record of published checkpoints {Path} {what}");

    private static string Shorten(string line) => line.Length > 60 ? line[..60] + "…" : line;
}
