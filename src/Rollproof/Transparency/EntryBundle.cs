using System.Buffers.Binary;
using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>An entry bundle: big-endian uint16 length-prefixed entries (C2SP tlog-tiles).</summary>
public static class EntryBundle
{
    public const int MaxEntrySize = ushort.MaxValue;

    public static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        var bundle = new byte[EncodedLength(entries)];
        Encode(entries, bundle);
        return bundle;
    }

    public static int EncodedLength(IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        var length = 0;
        for (var i = 0; i < entries.Count; i++)
            length += 2 + entries[i].Length;
        return length;
    }

    /// <summary>Encodes into <paramref name="bundle"/>, which must hold <see cref="EncodedLength"/> bytes.</summary>
    public static void Encode(IReadOnlyList<ReadOnlyMemory<byte>> entries, Span<byte> bundle)
    {
        var offset = 0;
        foreach (var entry in entries)
        {
            if (entry.Length > MaxEntrySize)
                throw new ArgumentException($"entry of {entry.Length} bytes exceeds the {MaxEntrySize}-byte limit", nameof(entries));
            BinaryPrimitives.WriteUInt16BigEndian(bundle[offset..], (ushort)entry.Length);
            entry.Span.CopyTo(bundle[(offset + 2)..]);
            offset += 2 + entry.Length;
        }
    }

    /// <summary>Splits a bundle into exactly <paramref name="expectedCount"/> entries; anything else is malformed.</summary>
    public static Result<List<ReadOnlyMemory<byte>>> Decode(ReadOnlyMemory<byte> bundle, int expectedCount, string path)
    {
        var entries = new List<ReadOnlyMemory<byte>>(expectedCount);
        var offset = 0;
        var span = bundle.Span;
        while (offset < span.Length)
        {
            if (entries.Count == expectedCount)
                return Fail($"{path}: {span.Length - offset} bytes follow the {expectedCount} expected entries");
            if (span.Length - offset < 2)
                return Fail($"{path}: truncated length prefix at byte {offset} (entry {entries.Count})");
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            if (span.Length - offset - 2 < length)
                return Fail($"{path}: entry {entries.Count} at byte {offset} claims {length} bytes, only {span.Length - offset - 2} remain");
            entries.Add(bundle.Slice(offset + 2, length));
            offset += 2 + length;
        }
        if (entries.Count != expectedCount)
            return Fail($"{path}: holds {entries.Count} entries, expected {expectedCount}");
        return Result<List<ReadOnlyMemory<byte>>>.Ok(entries);
    }

    private static Result<List<ReadOnlyMemory<byte>>> Fail(string message) =>
        Result<List<ReadOnlyMemory<byte>>>.Fail(ErrorCodes.EntryBundleMalformed, message);
}
