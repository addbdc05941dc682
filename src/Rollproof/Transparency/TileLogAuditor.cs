using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency;

/// <summary>
/// Re-verifies a whole tiled log against its checkpoint: every entry hashes to its level-0 tile, every higher tile
/// holds the roots of the full tiles below it, and the tiles hash to the checkpoint's root. Works on any C2SP
/// tlog-tiles log. The first failure names the resource (lowest index first).
/// </summary>
public static class TileLogAuditor
{
    private const int TilesPerChunk = 64;

    /// <param name="progress">Receives the number of entries verified so far.</param>
    public static Result<Checkpoint> Verify(ILogStorage storage, INoteVerifier logKey, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        var opened = OpenCheckpoint(storage, logKey);
        return opened.IsOk ? Verify(storage, opened.Value, progress, cancellation) : opened.Problem;
    }

    /// <summary>The log's checkpoint, verified with its key: the first thing an audit checks.</summary>
    public static Result<Checkpoint> OpenCheckpoint(ILogStorage storage, INoteVerifier logKey)
    {
        var stored = storage.Read(TilePath.Checkpoint);
        if (stored is null)
            return Result<Checkpoint>.Fail(ErrorCodes.LogNotInitialised, "checkpoint is missing");
        var opened = Checkpoint.Open(stored, logKey);
        return opened.IsOk ? Result<Checkpoint>.Ok(opened.Value.Checkpoint) : opened.Problem;
    }

    /// <summary>Verifies every entry and tile against a checkpoint already verified with <see cref="OpenCheckpoint"/>.</summary>
    public static Result<Checkpoint> Verify(ILogStorage storage, Checkpoint checkpoint, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        var size = checkpoint.Size;
        var tooLarge = TileReader.CheckTreeSize(size);
        if (tooLarge is not null)
            return tooLarge;

        var fullTileRoots = new byte[(size / TilePath.TileWidth) * MerkleHasher.HashSize];
        var tiles = (size + TilePath.TileWidth - 1) / TilePath.TileWidth;
        for (long chunk = 0; chunk < tiles; chunk += TilesPerChunk)
        {
            cancellation.ThrowIfCancellationRequested();
            var end = Math.Min(tiles, chunk + TilesPerChunk);
            var problems = new Problem?[end - chunk];
            Parallel.For(chunk, end, t => problems[t - chunk] = VerifyLevelZeroTile(storage, t, size, fullTileRoots));
            var first = problems.FirstOrDefault(p => p is not null);
            if (first is not null)
                return first;
            progress?.Report(Math.Min(size, end * TilePath.TileWidth));
        }

        var below = fullTileRoots;
        for (var level = 1; (size >> (TilePath.TileHeight * level)) > 0; level++)
        {
            var problem = VerifyLevel(storage, level, size, below, out below);
            if (problem is not null)
                return problem;
        }

        var root = new ProofBuilder(new TileNodeSource(storage, size)).Root(size);
        if (!root.AsSpan().SequenceEqual(checkpoint.RootHash))
            return Result<Checkpoint>.Fail(ErrorCodes.RootMismatch, $"the tiles hash to {Convert.ToBase64String(root)}, not the checkpoint's root {Convert.ToBase64String(checkpoint.RootHash)} at size {size}");
        progress?.Report(size);
        return Result<Checkpoint>.Ok(checkpoint);
    }

    private static Problem? VerifyLevelZeroTile(ILogStorage storage, long tile, long size, byte[] fullTileRoots)
    {
        var width = TilePath.WidthAt(0, tile, size);
        var bundlePath = TilePath.EntryBundle(tile, width);
        var tilePath = TilePath.Tile(0, tile, width);
        var entries = TileReader.Bundle(storage, tile, width);
        if (!entries.IsOk)
            return entries.Problem;
        var read = TileReader.Tile(storage, 0, tile, width);
        if (!read.IsOk)
            return read.Problem;
        var hashes = read.Value;
        Span<byte> leafHash = stackalloc byte[MerkleHasher.HashSize];
        for (var i = 0; i < width; i++)
        {
            MerkleHasher.LeafHash(entries.Value[i].Span, leafHash);
            if (!leafHash.SequenceEqual(hashes.AsSpan(i * MerkleHasher.HashSize, MerkleHasher.HashSize)))
                return new Problem(ErrorCodes.EntryHashMismatch, $"entry {(tile * TilePath.TileWidth) + i} (number {i} in {bundlePath}) does not match its hash in {tilePath}");
        }
        if (width == TilePath.TileWidth)
            new TileNodes(hashes).Root.CopyTo(fullTileRoots, tile * MerkleHasher.HashSize);
        return null;
    }

    private static Problem? VerifyLevel(ILogStorage storage, int level, long size, byte[] expected, out byte[] fullTileRoots)
    {
        var count = size >> (TilePath.TileHeight * level);
        fullTileRoots = new byte[(count / TilePath.TileWidth) * MerkleHasher.HashSize];
        for (long tile = 0; tile * TilePath.TileWidth < count; tile++)
        {
            var width = TilePath.WidthAt(level, tile, size);
            var path = TilePath.Tile(level, tile, width);
            var read = TileReader.Tile(storage, level, tile, width);
            if (!read.IsOk)
                return read.Problem;
            var hashes = read.Value;
            var want = expected.AsSpan((int)(tile * TilePath.TileWidth * MerkleHasher.HashSize), width * MerkleHasher.HashSize);
            for (var i = 0; i < width; i++)
            {
                if (!want.Slice(i * MerkleHasher.HashSize, MerkleHasher.HashSize).SequenceEqual(hashes.AsSpan(i * MerkleHasher.HashSize, MerkleHasher.HashSize)))
                    return new Problem(ErrorCodes.TileHashMismatch, $"hash {i} of {path} is not the root of {TilePath.Tile(level - 1, (tile * TilePath.TileWidth) + i, TilePath.TileWidth)}");
            }
            if (width == TilePath.TileWidth)
                new TileNodes(hashes).Root.CopyTo(fullTileRoots, tile * MerkleHasher.HashSize);
        }
        return null;
    }
}
