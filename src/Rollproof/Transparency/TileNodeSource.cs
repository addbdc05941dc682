using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// Answers node hashes from a tiled log's tiles as of <see cref="TreeSize"/>, reading each tile once and keeping up
/// to a fixed number of them (with their inner nodes) in memory, evicting the oldest first.
/// </summary>
public sealed class TileNodeSource : INodeSource
{
    private readonly ILogStorage _storage;
    private readonly int _capacity;
    private readonly Dictionary<(int Level, long Index), TileNodes> _cache = [];
    private readonly Queue<(int Level, long Index)> _age = new();
    private readonly Lock _lock = new();

    /// <param name="storage">The log's resources.</param>
    /// <param name="treeSize">The size of a verified checkpoint: only tiles it covers are read.</param>
    /// <param name="cacheCapacity">How many tiles to keep; each costs about 16 KiB.</param>
    public TileNodeSource(ILogStorage storage, long treeSize, int cacheCapacity = 1024)
    {
        _storage = storage;
        TreeSize = treeSize;
        _capacity = Math.Max(1, cacheCapacity);
    }

    public long TreeSize { get; }

    public byte[] GetNode(int height, long index)
    {
        var at = TileCoordinates.Of(height, index);
        return Tile(at.Level, at.TileIndex).Node(at.HeightInTile, at.Offset >> at.HeightInTile);
    }

    internal TileNodes Tile(int level, long tileIndex)
    {
        var key = (level, tileIndex);
        lock (_lock)
        {
            if (_cache.TryGetValue(key, out var hit))
                return hit;
        }
        var nodes = Load(level, tileIndex);
        lock (_lock)
        {
            if (_cache.TryAdd(key, nodes))
            {
                _age.Enqueue(key);
                if (_cache.Count > _capacity)
                    _cache.Remove(_age.Dequeue());
            }
        }
        return nodes;
    }

    private TileNodes Load(int level, long tileIndex)
    {
        var width = TilePath.WidthAt(level, tileIndex, TreeSize);
        if (width == 0)
            throw new ProblemException(new Problem(ErrorCodes.IndexOutOfRange, $"tile {level}/{tileIndex} is outside a tree of size {TreeSize}"));
        return new TileNodes(TileReader.Tile(_storage, level, tileIndex, width).Value);
    }
}
