using System.Globalization;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// The log's signed entry timestamps beside the tiles, in two layouts read alike. The log's writer keeps those it
/// makes a batch at a time in <c>timestamps/NNN.jsonl</c> (<see cref="EntryTimestampBatchFile"/>), durable before the
/// checkpoint covering them, so a batch costs a file's fsync rather than two per entry. A timestamp kept on its own
/// (<see cref="Keep"/>: a replica's copy, a repair, a store written before batching) is a small file
/// <c>timestamps/NNN/INDEX.json</c>, which counts first. They are part of what the log publishes: with the entries,
/// they are all an index needs to be rebuilt. The first timestamp of an entry is kept; re-appending a duplicate does
/// not move its time.
/// </summary>
public sealed class EntryTimestampStore(string logPath) : ISignedEntryTimestampStore
{
    private const int MaxSize = 4096;
    private const string Folder = "timestamps";
    private const int PerFile = 1000;
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // The batch file read last: readers ask for neighbouring entries, and a file changes only by growing or being replaced.
    private volatile ReadBatchFile? _lastRead;

    private string Root => System.IO.Path.Combine(logPath, Folder);

    /// <summary>Keeps <paramref name="timestamp"/> in a file of its own unless the entry has one already; returns the one kept.</summary>
    public SignedEntryTimestamp Keep(long index, SignedEntryTimestamp timestamp)
    {
        var existing = Read(index);
        if (existing.IsOk && existing.Value is { } kept)
            return kept;
        var path = PathOf(index);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        DurableFile.Replace(path, JsonSerializer.SerializeToUtf8Bytes(timestamp, Json));
        return timestamp;
    }

    /// <summary>The entry's timestamp, null if it has none (entries appended without one), a problem if the file is damaged.</summary>
    public Result<SignedEntryTimestamp?> Read(long index)
    {
        var path = PathOf(index);
        if (!File.Exists(path))
            return ReadBatched(index);
        var bytes = InputFile.Read(path, MaxSize, "signed entry timestamp");
        if (!bytes.IsOk)
            return bytes.Problem;
        try
        {
            var timestamp = JsonSerializer.Deserialize<SignedEntryTimestamp>(bytes.Value, Json);
            return timestamp is { Signature.Length: > 0 }
                ? Result<SignedEntryTimestamp?>.Ok(timestamp)
                : Result<SignedEntryTimestamp?>.Fail(ErrorCodes.EntryTimestampInvalid, $"{path} holds no signature");
        }
        catch (JsonException e)
        {
            return Result<SignedEntryTimestamp?>.Fail(ErrorCodes.EntryTimestampInvalid, $"{path} is damaged: {e.Message}");
        }
    }

    /// <summary>Appends the batch to the batch files of its entries, each written once and fsynced once (and its folder, when new).</summary>
    public void AppendBatch(IReadOnlyList<(long Index, SignedEntryTimestamp Timestamp)> batch)
    {
        if (batch.Count == 0)
            return;
        var newFolder = !Directory.Exists(Root);
        Directory.CreateDirectory(Root);
        var newFile = false;
        foreach (var group in batch.GroupBy(stamp => stamp.Index / PerFile))
        {
            var path = BatchPathOf(group.Key);
            newFile |= !File.Exists(path);
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
            file.Write(EntryTimestampBatchFile.Format(group));
            file.Flush(flushToDisk: true);
        }
        if (newFile)
            Posix.FsyncDirectory(Root);
        if (newFolder)
            Posix.FsyncDirectory(logPath);
    }

    public void DiscardFrom(long size) => RemoveBatchedFrom(size, setAside: null);

    /// <summary>Whether the log keeps timestamps at all: logs appended to only without them (raw tiles) have none.</summary>
    public bool Exists => Directory.Exists(Root);

    /// <summary>
    /// Moves the timestamps of entries at or beyond <paramref name="size"/> into <paramref name="folder"/>: after a
    /// deliberate rewind those entries are gone, and the next entry at each index gets a timestamp of its own.
    /// </summary>
    public void SetAsideFrom(long size, string folder)
    {
        if (!Exists)
            return;
        foreach (var file in Directory.EnumerateFiles(Root, "*.json", SearchOption.AllDirectories))
        {
            if (!long.TryParse(System.IO.Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < size || file.EndsWith(EntryTimestampBatchFile.Extension, StringComparison.Ordinal))
                continue;
            var destination = System.IO.Path.Combine(folder, System.IO.Path.GetRelativePath(Root, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Move(file, destination);
        }
        RemoveBatchedFrom(size, folder);
    }

    private Result<SignedEntryTimestamp?> ReadBatched(long index)
    {
        var path = BatchPathOf(index / PerFile);
        var info = new FileInfo(path);
        if (!info.Exists)
            return Result<SignedEntryTimestamp?>.Ok(null);
        var read = _lastRead;
        if (read is null || read.Path != path || read.Length != info.Length || read.Written != info.LastWriteTimeUtc)
        {
            var bytes = InputFile.Read(path, EntryTimestampBatchFile.MaxSize, "signed entry timestamps");
            if (!bytes.IsOk)
                return bytes.Problem;
            var stamps = EntryTimestampBatchFile.Read(bytes.Value, path);
            if (!stamps.IsOk)
                return stamps.Problem;
            // Keyed by the length read, not the one seen before: a batch appended meanwhile makes the next read see a change.
            _lastRead = read = new ReadBatchFile(path, bytes.Value.Length, info.LastWriteTimeUtc, stamps.Value);
        }
        return Result<SignedEntryTimestamp?>.Ok(read.Stamps.GetValueOrDefault(index));
    }

    // Rewrites each batch file holding lines of entries at or beyond size without them (and without a torn last line);
    // the lines removed go to the same file under setAside, when given. A damaged line stays where it is, to be reported.
    private void RemoveBatchedFrom(long size, string? setAside)
    {
        if (!Exists)
            return;
        foreach (var path in Directory.EnumerateFiles(Root, "*" + EntryTimestampBatchFile.Extension, SearchOption.TopDirectoryOnly))
        {
            if (!long.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || (number + 1) * PerFile <= size)
                continue;
            var bytes = File.ReadAllBytes(path);
            var lines = EntryTimestampBatchFile.CompleteLines(bytes);
            var kept = lines.Where(line => EntryTimestampBatchFile.Parse(line.Span) is not { } read || read.Index < size).ToList();
            if (kept.Count == lines.Count && (bytes.Length == 0 || bytes[^1] == '\n'))
                continue;
            if (setAside is not null)
            {
                Directory.CreateDirectory(setAside);
                File.AppendAllLines(System.IO.Path.Combine(setAside, System.IO.Path.GetFileName(path)), lines.Except(kept).Select(line => System.Text.Encoding.UTF8.GetString(line.Span)));
            }
            DurableFile.Replace(path, [.. kept.SelectMany(line => line.ToArray().Append((byte)'\n'))]);
        }
    }

    private string PathOf(long index) =>
        System.IO.Path.Combine(Root, (index / PerFile).ToString("000", CultureInfo.InvariantCulture), index.ToString(CultureInfo.InvariantCulture) + ".json");

    private string BatchPathOf(long number) => System.IO.Path.Combine(Root, number.ToString("000", CultureInfo.InvariantCulture) + EntryTimestampBatchFile.Extension);

    private sealed record ReadBatchFile(string Path, long Length, DateTime Written, Dictionary<long, SignedEntryTimestamp> Stamps);
}
