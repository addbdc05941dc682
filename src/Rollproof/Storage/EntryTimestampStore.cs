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

    private string PathOf(long index) =>
        System.IO.Path.Combine(logPath, Folder, (index / 1000).ToString("000", CultureInfo.InvariantCulture), index.ToString(CultureInfo.InvariantCulture) + ".json");
}
