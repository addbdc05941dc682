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

    private RightEdge(long size) => Size = size;

    public long Size { get; private set; }

    public static RightEdge Empty() => new(0);

    /// <summary>Rebuilds the right edge of a tree of <paramref name="size"/> from its partial tiles and bundle.</summary>
    public static Result<RightEdge> Load(ILogStorage storage, long size)
    {
        var edge = new RightEdge(size);
        for (var level = 0; (size >> (TilePath.TileHeight * level)) > 0; level++)
        {
            var count = size >> (TilePath.TileHeight * level);
            var width = (int)(count % TilePath.TileWidth);
            var hashes = new List<byte[]>(width);
            if (width > 0)
            {
                var path = TilePath.Tile(level, count / TilePath.TileWidth, width);
                var data = storage.Read(path);
                if (data is null)
                    return Result<RightEdge>.Fail(ErrorCodes.TileMissing, $"{path} is missing");
                if (data.Length != width * MerkleHasher.HashSize)
                    return Result<RightEdge>.Fail(ErrorCodes.TileMalformed, $"{path} is {data.Length} bytes, expected {width * MerkleHasher.HashSize}");
                for (var i = 0; i < width; i++)
                    hashes.Add(data.AsSpan(i * MerkleHasher.HashSize, MerkleHasher.HashSize).ToArray());
            }
            edge._partialTiles.Add(hashes);
        }
        var bundleWidth = (int)(size % TilePath.TileWidth);
        if (bundleWidth > 0)
        {
            var path = TilePath.EntryBundle(size / TilePath.TileWidth, bundleWidth);
            var data = storage.Read(path);
            if (data is null)
                return Result<RightEdge>.Fail(ErrorCodes.TileMissing, $"{path} is missing");
            var entries = EntryBundle.Decode(data, bundleWidth, path);
            if (!entries.IsOk)
                return entries.Problem;
            edge._partialBundle.AddRange(entries.Value);
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

    /// <summary>Writes the partial tiles and partial bundle that the current size needs.</summary>
    public void WritePartials(ILogStorage storage)
    {
        for (var level = 0; level < _partialTiles.Count; level++)
        {
            var hashes = _partialTiles[level];
            if (hashes.Count > 0)
                storage.Write(TilePath.Tile(level, HashCount(level) / TilePath.TileWidth, hashes.Count), Concat(hashes));
        }
        if (_partialBundle.Count > 0)
            WriteBundle(storage);
    }

    public byte[] Root() => new ProofBuilder(this).Root(Size);

    /// <summary>Right-edge nodes of the current tree all lie in the partial tile of their level.</summary>
    public byte[] GetNode(int height, long index)
    {
        var level = height / TilePath.TileHeight;
        var heightInTile = height % TilePath.TileHeight;
        var firstHash = index << heightInTile;
        var tileStart = HashCount(level) / TilePath.TileWidth * TilePath.TileWidth;
        var offset = (int)(firstHash - tileStart);
        var count = 1 << heightInTile;
        var hashes = level < _partialTiles.Count ? _partialTiles[level] : [];
        if (offset < 0 || offset + count > hashes.Count)
            throw new InvalidOperationException($"node ({height}, {index}) is not on the right edge of a tree of size {Size}");
        return MerkleHasher.RootOf(hashes.GetRange(offset, count));
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
