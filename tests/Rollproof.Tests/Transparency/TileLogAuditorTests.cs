using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

/// <summary>Every kind of tampering with a 600-entry log is caught, and the first bad resource is named.</summary>
public class TileLogAuditorTests
{
    public enum Tamper
    {
        EntryByte,
        LevelZeroTileByte,
        LevelOneTileByte,
        MissingFullTile,
        TruncatedBundle,
        TileWithExtraBytes,
        CheckpointTextChanged,
        CheckpointResignedWithOtherRoot,
    }

    [Theory]
    [InlineData(Tamper.EntryByte, ErrorCodes.EntryHashMismatch, "entry 300 (number 44 in tile/entries/001)")]
    [InlineData(Tamper.LevelZeroTileByte, ErrorCodes.EntryHashMismatch, "does not match its hash in tile/0/002.p/88")]
    [InlineData(Tamper.LevelOneTileByte, ErrorCodes.TileHashMismatch, "hash 1 of tile/1/000.p/2 is not the root of tile/0/001")]
    [InlineData(Tamper.MissingFullTile, ErrorCodes.TileMissing, "tile/0/000 is missing")]
    [InlineData(Tamper.TruncatedBundle, ErrorCodes.EntryBundleMalformed, "tile/entries/002.p/88")]
    [InlineData(Tamper.TileWithExtraBytes, ErrorCodes.TileMalformed, "tile/0/001 is 8193 bytes, expected 8192")]
    [InlineData(Tamper.CheckpointTextChanged, ErrorCodes.NoteSignatureInvalid, "does not verify")]
    [InlineData(Tamper.CheckpointResignedWithOtherRoot, ErrorCodes.RootMismatch, "not the checkpoint's root")]
    public async Task Tampering_is_detected_and_named(Tamper tamper, string code, string detail)
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 600, batch: 600);
        Apply(tamper, dir, signer);

        var verified = TileLogAuditor.Verify(new FileSystemLogStorage(dir.Path), TestLogs.Verifier(signer));

        Assert.False(verified.IsOk);
        Assert.Equal(code, verified.Problem.Code);
        Assert.Contains(detail, verified.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untampered_log_verifies_and_reports_progress_to_the_end()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 600);
        var reports = new List<long>();
        var verified = TileLogAuditor.Verify(new FileSystemLogStorage(dir.Path), TestLogs.Verifier(signer), new SyncProgress(reports.Add));
        Assert.True(verified.IsOk);
        Assert.Equal(600, reports[^1]);
    }

    [Fact]
    public void A_signed_but_absurd_tree_size_is_refused_without_arithmetic_overflow()
    {
        using var dir = new TempDirectory();
        var signer = NoteKeys.GenerateEd25519("huge.example");
        File.WriteAllBytes(dir.Combine("checkpoint"), SignedNote.Sign(new Checkpoint(signer.Name, long.MaxValue, new byte[32]).ToText(), signer).ToBytes());
        var verified = TileLogAuditor.Verify(new FileSystemLogStorage(dir.Path), TestLogs.Verifier(signer));
        Assert.Equal(ErrorCodes.CheckpointMalformed, verified.Problem?.Code);
    }

    // Whoever holds the log's key can sign any size. The verifier must neither overflow nor reserve memory by the
    // size claimed (an array of every tile's root took 1 GiB at 2^33 and overflowed from 2^34).
    [Theory]
    [InlineData(33, false)]
    [InlineData(34, false)]
    [InlineData(40, true)]
    [InlineData(48, true)]
    public async Task A_signed_checkpoint_claiming_more_entries_than_the_tiles_hold_is_refused_naming_the_missing_tile(int log2Size, bool forgeLastTile)
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 600, batch: 600);
        var size = 1L << log2Size;
        var root = TileLogAuditor.Verify(new FileSystemLogStorage(dir.Path), TestLogs.Verifier(signer)).Value.RootHash;
        File.WriteAllBytes(dir.Combine("checkpoint"), SignedNote.Sign(new Checkpoint(signer.Name, size, root).ToText(), signer).ToBytes());
        if (forgeLastTile)
        {
            // The tile of the last entry put in place too: the first tile missing below it is named instead.
            var last = dir.Combine(TilePath.Tile(0, (size - 1) / TilePath.TileWidth, TilePath.TileWidth));
            Directory.CreateDirectory(Path.GetDirectoryName(last)!);
            File.WriteAllBytes(last, new byte[TilePath.TileWidth * MerkleHasher.HashSize]);
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var verified = TileLogAuditor.Verify(new FileSystemLogStorage(dir.Path), TestLogs.Verifier(signer));

        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocated < (256L << 20), "memory was reserved by the size the checkpoint claims");
        Assert.Equal(ErrorCodes.TileMissing, verified.Problem?.Code);
        Assert.Contains(forgeLastTile ? "tile/entries/002 is missing" : $"the checkpoint claims {size} entries, but the log's tiles do not hold that many", verified.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_resource_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 3);
        using (var bundle = File.OpenWrite(dir.Combine("tile", "entries", "000.p", "3")))
            bundle.SetLength(FileSystemLogStorage.MaxResourceSize + 1);
        var verified = TileLogAuditor.Verify(new FileSystemLogStorage(dir.Path), TestLogs.Verifier(signer));
        Assert.Contains("larger than any tile or entry bundle", verified.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_empty_log_verifies()
    {
        using var dir = new TempDirectory();
        var signer = NoteKeys.GenerateEd25519("empty.example");
        LogWriter.Create(new FileSystemLogStorage(dir.Path), signer);
        Assert.True(TileLogAuditor.Verify(new FileSystemLogStorage(dir.Path), TestLogs.Verifier(signer)).IsOk);
    }

    private static void Apply(Tamper tamper, TempDirectory dir, INoteSigner signer)
    {
        switch (tamper)
        {
            case Tamper.EntryByte:
                // Entries 256..299 precede entry 300 in bundle 001; find entry 300's first content byte.
                FlipByte(dir.Combine("tile", "entries", "001"), Enumerable.Range(256, 44).Sum(i => 2 + TestLogs.Entry(i).Length) + 2);
                break;
            case Tamper.LevelZeroTileByte:
                FlipByte(dir.Combine("tile", "0", "002.p", "88"), 5);
                break;
            case Tamper.LevelOneTileByte:
                FlipByte(dir.Combine("tile", "1", "000.p", "2"), 40);
                break;
            case Tamper.MissingFullTile:
                File.Delete(dir.Combine("tile", "0", "000"));
                break;
            case Tamper.TruncatedBundle:
                var bundle = dir.Combine("tile", "entries", "002.p", "88");
                File.WriteAllBytes(bundle, File.ReadAllBytes(bundle)[..^3]);
                break;
            case Tamper.TileWithExtraBytes:
                File.AppendAllText(dir.Combine("tile", "0", "001"), "x");
                break;
            case Tamper.CheckpointTextChanged:
                var text = File.ReadAllText(dir.Combine("checkpoint"));
                File.WriteAllText(dir.Combine("checkpoint"), text.Replace("\n600\n", "\n599\n", StringComparison.Ordinal));
                break;
            case Tamper.CheckpointResignedWithOtherRoot:
                var forged = new Checkpoint(signer.Name, 600, MerkleHasher.LeafHash("forged"u8)).ToText();
                File.WriteAllBytes(dir.Combine("checkpoint"), SignedNote.Sign(forged, signer).ToBytes());
                break;
        }
    }

    private static void FlipByte(string path, int offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x20;
        File.WriteAllBytes(path, bytes);
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
