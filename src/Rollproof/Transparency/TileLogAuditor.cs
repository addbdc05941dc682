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

    /// <summary>
    /// Verifies every entry and tile against a checkpoint already verified with <see cref="OpenCheckpoint"/>. Tiles
    /// are streamed in order and nothing is allocated by the size the checkpoint claims: a size the tiles do not
    /// reach fails at its last tile, before any other is read.
    /// </summary>
    public static Result<Checkpoint> Verify(ILogStorage storage, Checkpoint checkpoint, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        var size = checkpoint.Size;
        var unsupported = TileReader.CheckTreeSize(size) ?? LastTileMissing(storage, size);
        if (unsupported is not null)
            return unsupported;

        var upper = new UpperTiles(storage, size);
        var tiles = (size + TilePath.TileWidth - 1) / TilePath.TileWidth;
        for (long chunk = 0; chunk < tiles; chunk += TilesPerChunk)
        {
            cancellation.ThrowIfCancellationRequested();
            var end = Math.Min(tiles, chunk + TilesPerChunk);
            var problems = new Problem?[end - chunk];
            var roots = new byte[]?[end - chunk];
            Parallel.For(chunk, end, t => problems[t - chunk] = VerifyLevelZeroTile(storage, t, size, out roots[t - chunk]));
            for (var i = 0; i < problems.Length; i++)
            {
                var problem = problems[i] ?? (roots[i] is { } root ? upper.Add(1, root) : null);
                if (problem is not null)
                    return problem;
            }
            progress?.Report(Math.Min(size, end * TilePath.TileWidth));
        }
        if (upper.Finish() is { } unfinished)
            return unfinished;

        var treeRoot = new ProofBuilder(new TileNodeSource(storage, size)).Root(size);
        if (!treeRoot.AsSpan().SequenceEqual(checkpoint.RootHash))
            return Result<Checkpoint>.Fail(ErrorCodes.RootMismatch, $"the tiles hash to {Convert.ToBase64String(treeRoot)}, not the checkpoint's root {Convert.ToBase64String(checkpoint.RootHash)} at size {size}");
        progress?.Report(size);
        return Result<Checkpoint>.Ok(checkpoint);
    }

    // A signed checkpoint may claim more entries than were ever written (whoever holds the log's key can sign one):
    // the level-0 tile that would hold its last entry says so at once.
    private static Problem? LastTileMissing(ILogStorage storage, long size)
    {
        if (size == 0)
            return null;
        var last = (size - 1) / TilePath.TileWidth;
        var read = TileReader.Tile(storage, 0, last, TilePath.WidthAt(0, last, size));
        return read.IsOk || read.Problem.Code != ErrorCodes.TileMissing
            ? null
            : read.Problem with { Message = $"the checkpoint claims {size} entries, but the log's tiles do not hold that many: {read.Problem.Message}" };
    }

    // The entries of one level-0 tile hash to it; a full tile's root is passed on to be checked against level 1.
    private static Problem? VerifyLevelZeroTile(ILogStorage storage, long tile, long size, out byte[]? fullTileRoot)
    {
        fullTileRoot = null;
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
            fullTileRoot = new TileNodes(hashes).Root;
        return null;
    }
}
