using System.Collections.Concurrent;

namespace Rollproof.Server.Endpoints;

/// <summary>
/// Tiles and entry bundles kept in memory once read: they never change once written (tlog-tiles gives each partial
/// width its own path), and reading one from disk costs about three times what answering it from memory does. At most
/// <see cref="Budget"/> bytes are held; when the next would not fit, the cache starts over, so the tiles clients read
/// now (the log's newest, mostly) refill it.
/// </summary>
public sealed class ImmutableResourceCache(long budget)
{
    private readonly ConcurrentDictionary<string, byte[]> _resources = new(StringComparer.Ordinal);
    private long _bytes;

    public long Budget { get; } = budget;

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The resource from memory, else from <paramref name="read"/> (kept when found and it fits); null when it does not exist.</summary>
    public byte[]? GetOrRead(string path, Func<string, byte[]?> read)
    {
        if (_resources.TryGetValue(path, out var cached))
            return cached;
        if (read(path) is not { } bytes)
            return null;
        if (bytes.Length > Budget)
            return bytes;
        if (Interlocked.Add(ref _bytes, bytes.Length) > Budget)
        {
            lock (_resources)
            {
                // Another request may have started over already; only the one that finds it still full clears it.
                if (Interlocked.Read(ref _bytes) > Budget)
                {
                    _resources.Clear();
                    Interlocked.Exchange(ref _bytes, bytes.Length);
                }
            }
        }
        if (!_resources.TryAdd(path, bytes))
            Interlocked.Add(ref _bytes, -bytes.Length);
        return bytes;
    }
}
