using System.Globalization;
using System.Text;

namespace Rollproof.Transparency;

/// <summary>Resource paths of a C2SP tlog-tiles log, relative to its prefix.</summary>
public static class TilePath
{
    public const int TileWidth = 256;
    public const int TileHeight = 8;
    public const string Checkpoint = "checkpoint";

    /// <summary><c>tile/L/N[.p/W]</c>; a width of 256 names the full tile.</summary>
    public static string Tile(int level, long index, int width) => $"tile/{level}/{EncodeIndex(index)}{PartialSuffix(width)}";

    /// <summary><c>tile/entries/N[.p/W]</c>.</summary>
    public static string EntryBundle(long index, int width) => $"tile/entries/{EncodeIndex(index)}{PartialSuffix(width)}";

    /// <summary>Zero-padded groups of three digits, all but the last prefixed with 'x': 1234067 → x001/x234/067.</summary>
    public static string EncodeIndex(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var groups = new Stack<long>();
        do
        {
            groups.Push(index % 1000);
            index /= 1000;
        }
        while (index > 0);
        var path = new StringBuilder();
        while (groups.Count > 0)
        {
            var group = groups.Pop();
            path.Append(groups.Count > 0 ? "x" : "").Append(group.ToString("000", CultureInfo.InvariantCulture));
            if (groups.Count > 0)
                path.Append('/');
        }
        return path.ToString();
    }

    /// <summary>The width of tile <paramref name="index"/> at <paramref name="level"/> in a tree of <paramref name="treeSize"/> leaves (0 if it does not exist).</summary>
    public static int WidthAt(int level, long index, long treeSize)
    {
        var hashesAtLevel = treeSize >> (TileHeight * level);
        var remaining = hashesAtLevel - (index * TileWidth);
        return (int)Math.Clamp(remaining, 0, TileWidth);
    }

    private static string PartialSuffix(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, TileWidth);
        return width == TileWidth ? "" : $".p/{width}";
    }
}
