using System.Text.Json;
using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// The format of a batched timestamp file, <c>timestamps/NNN.jsonl</c>: the signed entry timestamps of entries
/// NNN×1000 to NNN×1000+999, one JSON line each, <c>{"index":I,"integratedTime":T,"signature":"BASE64"}</c>, appended
/// a batch at a time. A last line without its newline is a write a crash cut short, before any checkpoint covered
/// it: it is not read. When an index appears twice, the later line is the one that counts (a batch written again
/// after a crash kept the first from being published).
/// </summary>
internal static class EntryTimestampBatchFile
{
    public const string Extension = ".jsonl";

    /// <summary>More than a thousand lines of a few hundred bytes, with room for batches written again after crashes.</summary>
    public const int MaxSize = 16 * 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static byte[] Format(IEnumerable<(long Index, SignedEntryTimestamp Timestamp)> stamps)
    {
        using var bytes = new MemoryStream();
        foreach (var (index, stamp) in stamps)
        {
            JsonSerializer.Serialize(bytes, new Line(index, stamp.IntegratedTime, stamp.Signature), Json);
            bytes.WriteByte((byte)'\n');
        }
        return bytes.ToArray();
    }

    /// <summary>Each complete line of <paramref name="bytes"/>, without its newline.</summary>
    public static List<ReadOnlyMemory<byte>> CompleteLines(ReadOnlyMemory<byte> bytes)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        for (var rest = bytes; rest.Span.IndexOf((byte)'\n') is var end and >= 0; rest = rest[(end + 1)..])
            lines.Add(rest[..end]);
        return lines;
    }

    /// <summary>The index and timestamp one line holds, null when it is damaged.</summary>
    public static (long Index, SignedEntryTimestamp Timestamp)? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize<Line>(line, Json) is { Index: >= 0, Signature.Length: > 0 } read
                ? (read.Index, new SignedEntryTimestamp(read.IntegratedTime, read.Signature))
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every timestamp in the file's bytes, the later line winning; a problem naming the first damaged line.</summary>
    public static Result<Dictionary<long, SignedEntryTimestamp>> Read(ReadOnlyMemory<byte> bytes, string path)
    {
        var stamps = new Dictionary<long, SignedEntryTimestamp>();
        var lines = CompleteLines(bytes);
        for (var i = 0; i < lines.Count; i++)
        {
            if (Parse(lines[i].Span) is not { } read)
                return Result<Dictionary<long, SignedEntryTimestamp>>.Fail(ErrorCodes.EntryTimestampInvalid, $"{path}: line {i + 1} is damaged");
            stamps[read.Index] = read.Timestamp;
        }
        return Result<Dictionary<long, SignedEntryTimestamp>>.Ok(stamps);
    }

    private sealed record Line(long Index, long IntegratedTime, byte[] Signature);
}
