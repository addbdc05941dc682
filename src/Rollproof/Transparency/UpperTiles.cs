using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// Checks the tiles above level 0 while the tiles below them are verified in order: each level keeps the roots of
/// the full tiles below it until a tile's worth (256) is there, then reads the tile that must hold them and passes its
/// root up. Memory stays a few KiB whatever size a checkpoint claims, where one array of every tile's root would
/// take 1 GiB for 2^33 entries and overflow beyond.
/// </summary>
internal sealed class UpperTiles(ILogStorage storage, long size)
{
    // _pending[l - 1]: roots of full tiles of level l - 1 not yet checked against tile _next[l - 1] of level l.
    private readonly List<List<byte[]>> _pending = [];
    private readonly List<long> _next = [];

    /// <summary>The root of the next full tile of level <paramref name="level"/> - 1, in order.</summary>
    public Problem? Add(int level, byte[] root)
    {
        while (_pending.Count < level)
        {
            _pending.Add([]);
            _next.Add(0);
        }
        var pending = _pending[level - 1];
        pending.Add(root);
        if (pending.Count < TilePath.TileWidth)
            return null;
        var problem = Check(level, _next[level - 1]++, pending, out var hashes);
        pending.Clear();
        return problem ?? Add(level + 1, new TileNodes(hashes).Root);
    }

    /// <summary>Checks the partial tile that ends each level, once every full tile below has been added.</summary>
    public Problem? Finish()
    {
        for (var level = 1; (size >> (TilePath.TileHeight * level)) > 0; level++)
        {
            var count = size >> (TilePath.TileHeight * level);
            if (count % TilePath.TileWidth == 0)
                continue;
            var problem = Check(level, count / TilePath.TileWidth, level <= _pending.Count ? _pending[level - 1] : [], out _);
            if (problem is not null)
                return problem;
        }
        return null;
    }

    private Problem? Check(int level, long tile, List<byte[]> expected, out byte[] hashes)
    {
        var width = TilePath.WidthAt(level, tile, size);
        var read = TileReader.Tile(storage, level, tile, width);
        hashes = read.IsOk ? read.Value : [];
        if (!read.IsOk)
            return read.Problem;
        if (expected.Count != width)
            return new Problem(ErrorCodes.TileMissing, $"{TilePath.Tile(level, tile, width)} covers {width} tiles of level {level - 1}, but {expected.Count} were verified below it");
        for (var i = 0; i < width; i++)
        {
            if (!expected[i].AsSpan().SequenceEqual(hashes.AsSpan(i * MerkleHasher.HashSize, MerkleHasher.HashSize)))
                return new Problem(ErrorCodes.TileHashMismatch, $"hash {i} of {TilePath.Tile(level, tile, width)} is not the root of {TilePath.Tile(level - 1, (tile * TilePath.TileWidth) + i, TilePath.TileWidth)}");
        }
        return null;
    }
}
