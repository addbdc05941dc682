using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>Reads tiles and entry bundles, checking each is the size its place in the tree requires.</summary>
internal static class TileReader
{
    /// <summary>The largest tree a tiled log is read as: far beyond any real log, small enough that no index arithmetic overflows.</summary>
    public const long MaxTreeSize = 1L << 48;

    public static Result<byte[]> Tile(ILogStorage storage, int level, long index, int width)
    {
        var path = TilePath.Tile(level, index, width);
        var data = Read(storage, path, out var problem);
        if (problem is not null)
            return problem;
        if (data is null)
            return Result<byte[]>.Fail(ErrorCodes.TileMissing, $"{path} is missing");
        if (data.Length != width * MerkleHasher.HashSize)
            return Result<byte[]>.Fail(ErrorCodes.TileMalformed, $"{path} is {data.Length} bytes, expected {width * MerkleHasher.HashSize}");
        return Result<byte[]>.Ok(data);
    }

    public static Result<List<ReadOnlyMemory<byte>>> Bundle(ILogStorage storage, long index, int width)
    {
        var path = TilePath.EntryBundle(index, width);
        var data = Read(storage, path, out var problem);
        if (problem is not null)
            return problem;
        return data is null
            ? Result<List<ReadOnlyMemory<byte>>>.Fail(ErrorCodes.TileMissing, $"{path} is missing")
            : EntryBundle.Decode(data, width, path);
    }

    // Storage refuses oversized resources with a ProblemException; here that is one more malformed-input result.
    private static byte[]? Read(ILogStorage storage, string path, out Problem? problem)
    {
        problem = null;
        try
        {
            return storage.Read(path);
        }
        catch (ProblemException e)
        {
            problem = e.Problem;
            return null;
        }
    }

    /// <summary>Refuses tree sizes no tiled log on disk can have, before any arithmetic is done with them.</summary>
    public static Problem? CheckTreeSize(long size) =>
        size is < 0 or > MaxTreeSize ? new Problem(ErrorCodes.CheckpointMalformed, $"tree size {size} is beyond the {MaxTreeSize} entries a tiled log is read as") : null;
}

/// <summary>Where the node of height h and index k lives: in the tile of level h/8, above 2^(h mod 8) of its hashes.</summary>
internal readonly record struct TileCoordinates(int Level, long TileIndex, int HeightInTile, int Offset)
{
    public static TileCoordinates Of(int height, long index)
    {
        var heightInTile = height % TilePath.TileHeight;
        var firstHash = index << heightInTile;
        return new TileCoordinates(height / TilePath.TileHeight, firstHash / TilePath.TileWidth, heightInTile, (int)(firstHash % TilePath.TileWidth));
    }
}
