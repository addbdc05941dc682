using System.Buffers;
using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// The writer's view of the tree's right edge: the partial tile at each level and the partial entry bundle. This is
/// all a writer needs to extend the tree and compute its root, so memory stays flat however large the log grows.
/// </summary>
internal sealed class RightEdge : INodeSource
{
    private readonly List<List<byte[]>> _partialTiles = [];
    private readonly List<ReadOnlyMemory<byte>> _partialBundle = [];

    // The newest partial resource on disk at each level (the key -1 is the bundle). A published checkpoint may cover
    // it, so it is never written again: rewriting it in place could, on a power loss, damage a file the durable
    // checkpoint depends on.
    private readonly Dictionary<int, string> _writtenPartials = [];

    private const int BundleKey = -1;

    private RightEdge(long size) => Size = size;

    public long Size { get; private set; }

    public static RightEdge Empty() => new(0);

    /// <summary>Rebuilds the right edge of a tree of <paramref name="size"/> from its partial tiles and bundle.</summary>
    public static Result<RightEdge> Load(ILogStorage storage, long size)
    {
        var tooLarge = TileReader.CheckTreeSize(size);
        if (tooLarge is not null)
            return tooLarge;
        var edge = new RightEdge(size);
        for (var level = 0; (size >> (TilePath.TileHeight * level)) > 0; level++)
        {
            var count = size >> (TilePath.TileHeight * level);
            var width = (int)(count % TilePath.TileWidth);
            var hashes = new List<byte[]>(width);
            if (width > 0)
            {
                var tile = TileReader.Tile(storage, level, count / TilePath.TileWidth, width);
                if (!tile.IsOk)
                    return tile.Problem;
                hashes.AddRange(tile.Value.Chunk(MerkleHasher.HashSize));
                edge._writtenPartials[level] = TilePath.Tile(level, count / TilePath.TileWidth, width);
            }
            edge._partialTiles.Add(hashes);
        }
        var bundleWidth = (int)(size % TilePath.TileWidth);
        if (bundleWidth > 0)
        {
            var entries = TileReader.Bundle(storage, size / TilePath.TileWidth, bundleWidth);
            if (!entries.IsOk)
                return entries.Problem;
            edge._partialBundle.AddRange(entries.Value);
            edge._writtenPartials[BundleKey] = TilePath.EntryBundle(size / TilePath.TileWidth, bundleWidth);
        }
        return Result<RightEdge>.Ok(edge);
    }

    /// <summary>Appends one entry, writing every tile and bundle that it completes.</summary>
    public void Append(ReadOnlyMemory<byte> entry, byte[] leafHash, ILogStorage storage)
    {
        _partialBundle.Add(entry);
        if (_partialBundle.Count == TilePath.TileWidth)
        {
            WriteBundle(storage);
            _partialBundle.Clear();
        }
        AddHash(0, leafHash, storage);
        Size++;
    }

    /// <summary>Writes the partial tiles and partial bundle that the current size needs and that are not on disk yet.</summary>
    public void WritePartials(ILogStorage storage)
    {
        for (var level = 0; level < _partialTiles.Count; level++)
        {
            var hashes = _partialTiles[level];
            if (hashes.Count > 0 && IsNew(level, TilePath.Tile(level, HashCount(level) / TilePath.TileWidth, hashes.Count), out var path))
                storage.Write(path, Concat(hashes));
        }
        if (_partialBundle.Count > 0 && IsNew(BundleKey, TilePath.EntryBundle(Size / TilePath.TileWidth, _partialBundle.Count), out _))
            WriteBundle(storage);
    }

    private bool IsNew(int key, string path, out string newPath)
    {
        newPath = path;
        if (_writtenPartials.TryGetValue(key, out var written) && written == path)
            return false;
        _writtenPartials[key] = path;
        return true;
    }

    public byte[] Root() => new ProofBuilder(this).Root(Size);

    /// <summary>Right-edge nodes of the current tree all lie in the partial tile of their level.</summary>
    public byte[] GetNode(int height, long index)
    {
        var at = TileCoordinates.Of(height, index);
        var count = 1 << at.HeightInTile;
        var hashes = at.Level < _partialTiles.Count ? _partialTiles[at.Level] : [];
        if (at.TileIndex != HashCount(at.Level) / TilePath.TileWidth || at.Offset + count > hashes.Count)
            throw new InvalidOperationException($"node ({height}, {index}) is not on the right edge of a tree of size {Size}");
        return MerkleHasher.RootOf(hashes.GetRange(at.Offset, count));
    }

    private long HashCount(int level) => Size >> (TilePath.TileHeight * level);

    private void AddHash(int level, byte[] hash, ILogStorage storage)
    {
        if (level == _partialTiles.Count)
            _partialTiles.Add([]);
        var hashes = _partialTiles[level];
        hashes.Add(hash);
        if (hashes.Count < TilePath.TileWidth)
            return;
        // Size has not been incremented yet, so the tile index comes from the hash just added.
        var tileIndex = ((Size + 1) >> (TilePath.TileHeight * level)) / TilePath.TileWidth - 1;
        var data = Concat(hashes);
        storage.Write(TilePath.Tile(level, tileIndex, TilePath.TileWidth), data);
        hashes.Clear();
        AddHash(level + 1, MerkleHasher.RootOf(data), storage);
    }

    // Bundles run to 16 MiB: encode them in pooled memory rather than a fresh large-object-heap array each time.
    private void WriteBundle(ILogStorage storage)
    {
        var length = EntryBundle.EncodedLength(_partialBundle);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            EntryBundle.Encode(_partialBundle, buffer.AsSpan(0, length));
            storage.Write(TilePath.EntryBundle(Size / TilePath.TileWidth, _partialBundle.Count), buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Concat(List<byte[]> hashes)
    {
        var data = new byte[hashes.Count * MerkleHasher.HashSize];
        for (var i = 0; i < hashes.Count; i++)
            hashes[i].CopyTo(data, i * MerkleHasher.HashSize);
        return data;
    }
}
