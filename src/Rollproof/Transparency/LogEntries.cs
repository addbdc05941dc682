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
}
