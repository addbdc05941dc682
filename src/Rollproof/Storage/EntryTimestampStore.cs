using System.Globalization;
using System.Text.Json;
using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// The log's signed entry timestamps, one small file per entry at <c>timestamps/NNN/INDEX.json</c> beside the tiles
/// (a thousand per folder). They are part of what the log publishes: with the entries, they are all an index needs to
/// be rebuilt. The first timestamp of an entry is kept; re-appending a duplicate does not move its time.
/// </summary>
public sealed class EntryTimestampStore(string logPath)
{
    private const int MaxSize = 4096;
    private const string Folder = "timestamps";
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Keeps <paramref name="timestamp"/> unless the entry has one already; returns the one kept.</summary>
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
            return Result<SignedEntryTimestamp?>.Ok(null);
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

    /// <summary>Whether the log keeps timestamps at all: logs appended to only without them (raw tiles) have none.</summary>
    public bool Exists => Directory.Exists(System.IO.Path.Combine(logPath, Folder));

    /// <summary>
    /// Moves the timestamps of entries at or beyond <paramref name="size"/> into <paramref name="folder"/>: after a
    /// deliberate rewind those entries are gone, and the next entry at each index gets a timestamp of its own.
    /// </summary>
    public void SetAsideFrom(long size, string folder)
    {
        if (!Exists)
            return;
        var root = System.IO.Path.Combine(logPath, Folder);
        foreach (var file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories))
        {
            if (!long.TryParse(System.IO.Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < size)
                continue;
            var destination = System.IO.Path.Combine(folder, System.IO.Path.GetRelativePath(root, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Move(file, destination);
        }
    }

    private string PathOf(long index) =>
        System.IO.Path.Combine(logPath, Folder, (index / 1000).ToString("000", CultureInfo.InvariantCulture), index.ToString(CultureInfo.InvariantCulture) + ".json");
}
