using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Transparency;

public class LogWriterTests
{
    [Fact]
    public async Task A_multi_level_log_matches_an_in_memory_tree_for_roots_and_proofs()
    {
        using var dir = new TempDirectory();
        const int size = 70_000; // full level-0 and level-1 tiles, partial tiles at levels 0, 1 and 2
        var signer = await TestLogs.CreateAsync(dir.Path, size, batch: 9_999);
        var memory = new MemoryNodeSource();
        for (var i = 0; i < size; i++)
            memory.AppendEntry(TestLogs.Entry(i));
        var storage = new FileSystemLogStorage(dir.Path);
        var checkpoint = Checkpoint.Open(storage.Read("checkpoint")!, TestLogs.Verifier(signer)).Value.Checkpoint;
        var fromTiles = new ProofBuilder(new TileNodeSource(storage, size));
        var fromMemory = new ProofBuilder(memory);

        Assert.Equal(size, checkpoint.Size);
        Assert.Equal(fromMemory.Root(size), checkpoint.RootHash);
        Assert.True(File.Exists(dir.Combine("tile", "2", "000.p", "1")));
        Assert.True(File.Exists(dir.Combine("tile", "1", "001.p", "17")));
        var random = new Random(7);
        for (var n = 0; n < 200; n++)
        {
            var treeSize = random.NextInt64(1, size + 1);
            var index = random.NextInt64(0, treeSize);
            Assert.Equal(fromMemory.Inclusion(index, treeSize).Value, fromTiles.Inclusion(index, treeSize).Value);
            var old = random.NextInt64(1, treeSize + 1);
            Assert.Equal(fromMemory.Consistency(old, treeSize).Value, fromTiles.Consistency(old, treeSize).Value);
            Assert.Equal(fromMemory.Root(treeSize), fromTiles.Root(treeSize));
        }
        Assert.True(TileLogAuditor.Verify(storage, TestLogs.Verifier(signer)).IsOk);
    }

    [Fact]
    public async Task Duplicates_get_their_first_index_back_within_a_batch_across_batches_and_after_reopening()
    {
        using var dir = new TempDirectory();
        var signer = NoteKeys.GenerateEd25519("test.example/log");
        var storage = new FileSystemLogStorage(dir.Path);
        LogWriter.Create(storage, signer);
        var dedupPath = dir.Combine("dedup.db");
        await using (var writer = LogWriter.Open(storage, signer, new SqliteDedupIndex(dedupPath)).Value)
        {
            var first = await Task.WhenAll(writer.AppendAsync("a"u8.ToArray()), writer.AppendAsync("b"u8.ToArray()), writer.AppendAsync("a"u8.ToArray()));
            Assert.Equal(new long[] { 0, 1, 0 }, first);
            Assert.Equal(1, await writer.AppendAsync("b"u8.ToArray()));
            Assert.Equal(2, writer.Size);
        }
        await using (var reopened = LogWriter.Open(storage, signer, new SqliteDedupIndex(dedupPath)).Value)
        {
            Assert.Equal(0, await reopened.AppendAsync("a"u8.ToArray()));
            Assert.Equal(2, await reopened.AppendAsync("c"u8.ToArray()));
        }
    }

    [Fact]
    public async Task A_lost_dedup_index_is_rebuilt_from_the_log_when_the_writer_opens()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 600);
        var storage = new FileSystemLogStorage(dir.Path);
        await using var writer = LogWriter.Open(storage, signer, new SqliteDedupIndex(dir.Combine("fresh.db"))).Value;
        Assert.Equal(517, await writer.AppendAsync(TestLogs.Entry(517)));
        Assert.Equal(600, await writer.AppendAsync("new"u8.ToArray()));
    }

    [Fact]
    public async Task Dedup_answers_beyond_the_checkpoint_are_forgotten_after_a_crash()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 10);
        using (var dedup = new SqliteDedupIndex(dir.Combine("d.db")))
        {
            // As if a crash hit after the dedup commit but before the checkpoint: "ghost" claims index 10.
            dedup.Claim(MerkleHasher.LeafHash("ghost"u8), 10);
            dedup.Commit(11);
        }
        await using var writer = LogWriter.Open(new FileSystemLogStorage(dir.Path), signer, new SqliteDedupIndex(dir.Combine("d.db"))).Value;
        Assert.Equal(10, await writer.AppendAsync("other"u8.ToArray()));
        Assert.Equal(11, await writer.AppendAsync("ghost"u8.ToArray()));
    }

    [Fact]
    public async Task A_dedup_answer_for_another_entry_is_never_handed_out()
    {
        using var dir = new TempDirectory();
        var signer = NoteKeys.GenerateEd25519("test.example/log");
        var storage = new FileSystemLogStorage(dir.Path);
        LogWriter.Create(storage, signer);
        await using (var writer = LogWriter.Open(storage, signer, new EverythingCollides()).Value)
        {
            Assert.Equal(new long[] { 0, 1, 0 }, await Task.WhenAll(writer.AppendAsync("a"u8.ToArray()), writer.AppendAsync("b"u8.ToArray()), writer.AppendAsync("a"u8.ToArray())));
            Assert.Equal(2, await writer.AppendAsync("c"u8.ToArray()));
            Assert.Equal(0, await writer.AppendAsync("a"u8.ToArray()));
        }
    }

    /// <summary>A dedup index whose every key collides: it always answers with the first index it was given.</summary>
    private sealed class EverythingCollides : IDedupIndex
    {
        private long? _first;

        public long IndexedSize { get; private set; }

        public long? Claim(ReadOnlySpan<byte> leafHash, long index)
        {
            if (_first is { } first)
                return first;
            _first = index;
            return null;
        }

        public void Commit(long indexedSize) => IndexedSize = indexedSize;

        public void Truncate(long size) => IndexedSize = size;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Partial_tiles_a_published_checkpoint_covers_are_never_rewritten()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 300);
        var storage = new RecordingStorage(new FileSystemLogStorage(dir.Path));
        await using (var writer = LogWriter.Open(storage, signer).Value)
            await writer.AppendAsync("one more"u8.ToArray());
        Assert.Contains("tile/0/001.p/45", storage.Writes);
        Assert.Contains("tile/entries/001.p/45", storage.Writes);
        Assert.DoesNotContain("tile/1/000.p/1", storage.Writes); // unchanged since size 256, covered by the checkpoint
    }

    [Fact]
    public async Task A_failing_checkpoint_subscriber_does_not_fail_the_log()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 1);
        await using var writer = LogWriter.Open(new FileSystemLogStorage(dir.Path), signer).Value;
        writer.CheckpointPublished += _ => throw new InvalidOperationException("subscriber bug");
        Assert.Equal(1, await writer.AppendAsync("x"u8.ToArray()));
        Assert.Equal(2, await writer.AppendAsync("y"u8.ToArray()));
    }

    [Fact]
    public async Task Impossible_batch_options_are_refused()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => LogWriter.Open(new FileSystemLogStorage(dir.Path), signer, options: new LogWriterOptions { MaxBatchSize = 0 }));
    }

    private sealed class RecordingStorage(ILogStorage inner) : ILogStorage
    {
        public List<string> Writes { get; } = [];

        public byte[]? Read(string path) => inner.Read(path);

        public void Write(string path, ReadOnlySpan<byte> data)
        {
            Writes.Add(path);
            inner.Write(path, data);
        }

        public void Sync() => inner.Sync();

        public void ReplaceCheckpoint(ReadOnlySpan<byte> signedCheckpoint) => inner.ReplaceCheckpoint(signedCheckpoint);
    }

    [Fact]
    public async Task Entries_too_large_for_a_bundle_are_refused_and_change_nothing()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 3);
        var before = File.ReadAllBytes(dir.Combine("checkpoint"));
        await using var writer = LogWriter.Open(new FileSystemLogStorage(dir.Path), signer).Value;
        var error = await Assert.ThrowsAsync<ProblemException>(() => writer.AppendAsync(new byte[EntryBundle.MaxEntrySize + 1]));
        Assert.Equal(ErrorCodes.EntryTooLarge, error.Problem.Code);
        Assert.Equal(before, File.ReadAllBytes(dir.Combine("checkpoint")));
    }

    [Fact]
    public async Task Opening_with_another_key_or_over_tampered_tiles_is_refused()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 5);
        var storage = new FileSystemLogStorage(dir.Path);
        Assert.Equal(ErrorCodes.NoteNoTrustedSignature, LogWriter.Open(storage, NoteKeys.GenerateEd25519("test.example/log")).Problem?.Code);

        var tile = dir.Combine("tile", "0", "000.p", "5");
        var bytes = File.ReadAllBytes(tile);
        bytes[40] ^= 1;
        File.WriteAllBytes(tile, bytes);
        Assert.Equal(ErrorCodes.RootMismatch, LogWriter.Open(storage, signer).Problem?.Code);
    }

    [Fact]
    public async Task Appends_wait_for_each_other_up_to_the_batch_age_and_share_one_checkpoint()
    {
        var (dir, writer, published) = await OpenCounting(new LogWriterOptions { MaxBatchAge = TimeSpan.FromMinutes(10), MaxBatchSize = 2 });
        using (dir)
        await using (writer)
        {
            var first = writer.AppendAsync("1"u8.ToArray());
            await Task.Delay(50);
            Assert.False(first.IsCompleted);
            var second = writer.AppendAsync("2"u8.ToArray());
            Assert.Equal(new long[] { 0, 1 }, await Task.WhenAll(first, second));
            await writer.DisposeAsync(); // the event follows the answers: let the sequencer finish
            Assert.Single(published);
        }
    }

    [Fact]
    public async Task A_lone_append_is_integrated_once_the_batch_age_passes()
    {
        var (dir, writer, published) = await OpenCounting(new LogWriterOptions { MaxBatchAge = TimeSpan.FromMilliseconds(30), MaxBatchSize = 1000 });
        using (dir)
        await using (writer)
        {
            Assert.Equal(0, await writer.AppendAsync("1"u8.ToArray()));
            await writer.DisposeAsync();
            Assert.Single(published);
        }
    }

    [Fact]
    public async Task The_size_bound_splits_a_burst_into_several_checkpoints()
    {
        var (dir, writer, published) = await OpenCounting(new LogWriterOptions { MaxBatchSize = 100, MaxBatchAge = TimeSpan.FromMinutes(10) });
        using (dir)
        await using (writer)
        {
            var indexes = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => writer.AppendAsync(TestLogs.Entry(i))));
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), indexes.Order());
            await writer.DisposeAsync();
            Assert.Equal(3, published.Count);
            Assert.Equal(300, writer.Size);
        }
    }

    private static Task<(TempDirectory, LogWriter, List<byte[]>)> OpenCounting(LogWriterOptions options)
    {
        var dir = new TempDirectory();
        var signer = NoteKeys.GenerateEd25519("test.example/log");
        var storage = new FileSystemLogStorage(dir.Path);
        LogWriter.Create(storage, signer);
        var writer = LogWriter.Open(storage, signer, options: options).Value;
        var published = new List<byte[]>();
        writer.CheckpointPublished += published.Add;
        return Task.FromResult((dir, writer, published));
    }

    [Fact]
    public async Task A_batchs_timestamps_are_kept_in_one_write_before_the_checkpoint_that_covers_them()
    {
        using var dir = new TempDirectory();
        var signer = await TestLogs.CreateAsync(dir.Path, 3);
        var storage = new FileSystemLogStorage(dir.Path);
        var kept = new RecordingTimestamps(storage, TestLogs.Verifier(signer));
        var gate = new TaskCompletionSource();
        // The first batch waits on its cosignature, so the next eight appends queue up as one batch behind it.
        var options = new LogWriterOptions
        {
            Cosign = async checkpoint =>
            {
                if (kept.Batches.Count == 1)
                    await gate.Task;
                return Result<byte[]>.Ok(checkpoint);
            },
        };
        await using var writer = LogWriter.Open(storage, signer, options: options, timestamps: kept).Value;

        var first = writer.AppendWithTimestampAsync("first"u8.ToArray());
        await kept.FirstBatchKept.Task;
        var rest = Enumerable.Range(0, 8).Select(i => writer.AppendWithTimestampAsync(TestLogs.Entry(100 + i))).ToArray();
        gate.SetResult();
        var appended = await Task.WhenAll(rest.Prepend(first));

        Assert.Equal([1, 8], kept.Batches.Select(batch => batch.Count));
        Assert.Equal(0, kept.CoveredWhenKept);
        Assert.Single(appended.Skip(1).Select(a => a.Timestamp.IntegratedTime).Distinct());
        Assert.All(appended, a => Assert.Equal(a.Timestamp.Signature, kept.Batches.SelectMany(b => b).Single(s => s.Index == a.Index).Timestamp.Signature));
    }

    /// <summary>Keeps timestamps in memory, recording each batch and whether a published checkpoint already covered any of it.</summary>
    private sealed class RecordingTimestamps(ILogStorage storage, INoteVerifier logKey) : ISignedEntryTimestampStore
    {
        public List<IReadOnlyList<(long Index, SignedEntryTimestamp Timestamp)>> Batches { get; } = [];

        public int CoveredWhenKept { get; private set; }

        public TaskCompletionSource FirstBatchKept { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Result<SignedEntryTimestamp?> Read(long index) =>
            Result<SignedEntryTimestamp?>.Ok(Batches.SelectMany(b => b).Where(s => s.Index == index).Select(s => s.Timestamp).FirstOrDefault());

        public void AppendBatch(IReadOnlyList<(long Index, SignedEntryTimestamp Timestamp)> batch)
        {
            var size = Checkpoint.Open(storage.Read(TilePath.Checkpoint)!, logKey).Value.Checkpoint.Size;
            CoveredWhenKept += batch.Count(stamp => stamp.Index < size);
            Batches.Add([.. batch]);
            FirstBatchKept.TrySetResult();
        }

        public void DiscardFrom(long size)
        {
        }
    }
}
