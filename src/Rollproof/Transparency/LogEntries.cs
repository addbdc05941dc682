using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>Reads logged entries back from their entry bundles.</summary>
public static class LogEntries
{
    /// <summary>The entry at <paramref name="index"/> in a tree of <paramref name="treeSize"/> (the size of a verified checkpoint).</summary>
    public static Result<byte[]> Read(ILogStorage storage, long index, long treeSize)
    {
        if (index < 0 || index >= treeSize)
            return Result<byte[]>.Fail(ErrorCodes.IndexOutOfRange, $"index {index} is outside a tree of size {treeSize}");
        var tile = index / TilePath.TileWidth;
        var entries = TileReader.Bundle(storage, tile, TilePath.WidthAt(0, tile, treeSize));
        return entries.IsOk ? Result<byte[]>.Ok(entries.Value[(int)(index % TilePath.TileWidth)].ToArray()) : entries.Problem;
    }

    /// <summary>
    /// The entries from <paramref name="from"/> up to (not including) <paramref name="to"/> of a tree of
    /// <paramref name="treeSize"/>, in order, reading each entry bundle once; stops at the first bundle that does not read.
    /// </summary>
    public static IEnumerable<Result<(long Index, ReadOnlyMemory<byte> Entry)>> Range(ILogStorage storage, long from, long to, long treeSize)
    {
        if (from < 0 || to > treeSize || from > to)
        {
            yield return Result<(long, ReadOnlyMemory<byte>)>.Fail(ErrorCodes.IndexOutOfRange, $"entries {from} to {to} are outside a tree of size {treeSize}");
            yield break;
        }
        for (var tile = from / TilePath.TileWidth; tile * TilePath.TileWidth < to; tile++)
        {
            var entries = TileReader.Bundle(storage, tile, TilePath.WidthAt(0, tile, treeSize));
            if (!entries.IsOk)
            {
                yield return entries.Problem;
                yield break;
            }
            var first = tile * TilePath.TileWidth;
            for (var i = Math.Max(from, first); i < Math.Min(to, first + entries.Value.Count); i++)
                yield return Result<(long, ReadOnlyMemory<byte>)>.Ok((i, entries.Value[(int)(i - first)]));
        }
    }
}
