using Rollproof.Server.Endpoints;

namespace Rollproof.Server.Tests;

/// <summary>The tile cache: read once, never more than its budget, and never remembering that a resource was missing.</summary>
public sealed class ImmutableResourceCacheTests
{
    private readonly Dictionary<string, byte[]> _disk = new() { ["tile/0/000"] = new byte[8192], ["tile/0/001"] = new byte[8192], ["tile/0/002"] = new byte[8192] };
    private readonly List<string> _reads = [];

    private byte[]? Read(string path)
    {
        _reads.Add(path);
        return _disk.GetValueOrDefault(path);
    }

    [Fact]
    public void A_resource_is_read_from_disk_once()
    {
        var cache = new ImmutableResourceCache(1 << 20);
        Assert.Same(cache.GetOrRead("tile/0/000", Read), cache.GetOrRead("tile/0/000", Read));
        Assert.Equal(["tile/0/000"], _reads);
    }

    [Fact]
    public void A_missing_resource_is_read_again_so_it_is_served_once_written()
    {
        var cache = new ImmutableResourceCache(1 << 20);
        Assert.Null(cache.GetOrRead("tile/0/003", Read));
        _disk["tile/0/003"] = [1, 2, 3];
        Assert.Equal([1, 2, 3], cache.GetOrRead("tile/0/003", Read));
    }

    [Fact]
    public void It_never_holds_more_than_its_budget_and_still_answers_beyond_it()
    {
        var cache = new ImmutableResourceCache(2 * 8192);
        foreach (var path in (string[])["tile/0/000", "tile/0/001", "tile/0/002", "tile/0/000"])
        {
            Assert.Equal(8192, cache.GetOrRead(path, Read)!.Length);
            Assert.InRange(cache.Bytes, 0, cache.Budget);
        }
        _disk["tile/entries/000"] = new byte[3 * 8192];
        Assert.Equal(3 * 8192, cache.GetOrRead("tile/entries/000", Read)!.Length);
        Assert.InRange(cache.Bytes, 0, cache.Budget);
    }
}
