using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

public class TilePathTests
{
    [Theory]
    [InlineData(0, "000")]
    [InlineData(5, "005")]
    [InlineData(999, "999")]
    [InlineData(1000, "x001/000")]
    [InlineData(1234067, "x001/x234/067")]
    [InlineData(1000000000, "x001/x000/x000/000")]
    public void Indexes_are_encoded_in_groups_of_three_digits(long index, string encoded)
    {
        Assert.Equal(encoded, TilePath.EncodeIndex(index));
    }

    [Fact]
    public void Full_and_partial_tiles_and_bundles_have_their_paths()
    {
        Assert.Equal("tile/0/x001/x234/067", TilePath.Tile(0, 1234067, 256));
        Assert.Equal("tile/2/000.p/1", TilePath.Tile(2, 0, 1));
        Assert.Equal("tile/entries/x001/000.p/255", TilePath.EntryBundle(1000, 255));
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Tile(0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Tile(0, 0, 257));
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.EncodeIndex(-1));
    }

    [Theory]
    [InlineData(70_000, 0, 273, 256)] // the specification's example: 273 full level-0 tiles and one of width 112
    [InlineData(70_000, 0, 274, 0)]
    [InlineData(70_000, 0, 273 - 1, 256)]
    [InlineData(70_000, 1, 0, 256)]
    [InlineData(70_000, 1, 1, 17)]
    [InlineData(70_000, 2, 0, 1)]
    [InlineData(256, 1, 0, 1)]
    [InlineData(255, 1, 0, 0)]
    public void Tile_widths_follow_the_tree_size(long size, int level, long index, int width)
    {
        var expected = size == 70_000 && level == 0 && index == 273 ? 112 : width;
        Assert.Equal(expected, TilePath.WidthAt(level, index, size));
    }
}
