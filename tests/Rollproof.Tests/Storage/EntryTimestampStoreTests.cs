using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Storage;

public class EntryTimestampStoreTests
{
    private static (LogDirectory Log, Ed25519NoteSigner Key) NewLog(TempDirectory dir)
    {
        var key = NoteKeys.GenerateEd25519("stamps.example/log");
        File.WriteAllText(dir.Combine("key"), key.SignerKey);
        return (LogDirectory.Init(dir.Combine("log"), key.Name, dir.Combine("key")).Value, key);
    }

    private static byte[] Entry(int i) => Encoding.UTF8.GetBytes($"entry {i}");

    [Fact]
    public async Task A_batch_of_stamped_appends_is_kept_in_one_file_not_in_a_file_per_entry()
    {
        using var dir = new TempDirectory();
        var (log, key) = NewLog(dir);
        (long Index, SignedEntryTimestamp Timestamp)[] appended;
        await using (var writer = log.OpenWriter().Value)
            appended = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => writer.Writer.AppendWithTimestampAsync(Entry(i))));

        var folder = Path.Combine(log.Path, "timestamps");
        Assert.Equal(["000.jsonl"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));
        foreach (var (index, timestamp) in appended)
        {
            var kept = log.Timestamps.Read(index);
            Assert.True(kept.IsOk);
            Assert.Equal(timestamp.Signature, kept.Value!.Signature);
            Assert.Null(kept.Value.Verify(TestLogs.Verifier(key), LogEntries.Read(log.Storage, index, 50).Value, index));
        }
    }

    [Fact]
    public async Task A_store_written_before_batching_is_read_as_before_and_its_timestamps_stay_first()
    {
        using var dir = new TempDirectory();
        var (log, key) = NewLog(dir);
        // As an older version kept it: a file of its own per entry.
        long first;
        await using (var writer = log.OpenWriter().Value)
            first = await writer.Writer.AppendAsync(Entry(0));
        var old = SignedEntryTimestamp.Sign(key, Entry(0), first, DateTimeOffset.UnixEpoch.AddYears(50));
        log.Timestamps.Keep(first, old);
        Assert.True(File.Exists(Path.Combine(log.Path, "timestamps", "000", "0.json")));

        await using (var writer = log.OpenWriter().Value)
        {
            var again = await writer.Writer.AppendWithTimestampAsync(Entry(0));
            var next = await writer.Writer.AppendWithTimestampAsync(Entry(1));
            Assert.Equal(first, again.Index);
            Assert.Equal(old.Signature, again.Timestamp.Signature);
            Assert.Equal(next.Timestamp.Signature, log.Timestamps.Read(next.Index).Value!.Signature);
        }
        Assert.Equal(old.Signature, log.Timestamps.Read(first).Value!.Signature);
        Assert.Null(EntryTimestampAudit.Verify(log.Storage, log.Timestamps, TestLogs.Verifier(key), 2));
    }

    [Fact]
    public async Task A_duplicate_appended_in_a_later_batch_gets_the_timestamp_kept_for_its_first_index()
    {
        using var dir = new TempDirectory();
        var (log, _) = NewLog(dir);
        var clock = new SteppingClock();
        await using var writer = log.OpenWriter(clock: clock).Value;
        var first = await writer.Writer.AppendWithTimestampAsync(Entry(7));
        clock.Advance(TimeSpan.FromHours(1));
        await writer.Writer.AppendWithTimestampAsync(Entry(8));
        var again = await writer.Writer.AppendWithTimestampAsync(Entry(7));

        Assert.Equal(first.Index, again.Index);
        Assert.Equal(first.Timestamp.IntegratedTime, again.Timestamp.IntegratedTime);
        Assert.Equal(first.Timestamp.Signature, again.Timestamp.Signature);
    }

    [Fact]
    public void A_last_line_a_crash_cut_short_is_not_read_and_a_damaged_line_is_reported_with_its_file()
    {
        using var dir = new TempDirectory();
        var (log, key) = NewLog(dir);
        log.Timestamps.AppendBatch([(0, SignedEntryTimestamp.Sign(key, Entry(0), 0, DateTimeOffset.UnixEpoch))]);
        var file = Path.Combine(log.Path, "timestamps", "000.jsonl");
        File.AppendAllText(file, "{\"index\":1,\"integratedTime\":0,\"sig");

        Assert.NotNull(log.Timestamps.Read(0).Value);
        Assert.True(log.Timestamps.Read(1) is { IsOk: true, Value: null });

        File.AppendAllText(file, "\n");
        var damaged = log.Timestamps.Read(0);
        Assert.Equal(ErrorCodes.EntryTimestampInvalid, damaged.Problem?.Code);
        Assert.Contains("000.jsonl: line 2", damaged.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_beyond_the_published_checkpoint_are_forgotten_when_the_writer_opens()
    {
        using var dir = new TempDirectory();
        var (log, key) = NewLog(dir);
        await using (var writer = log.OpenWriter().Value)
            await writer.Writer.AppendWithTimestampAsync(Entry(0));
        // As a crash after a batch's timestamps and before its checkpoint leaves them: entry 1 is not in the log.
        log.Timestamps.AppendBatch([(1, SignedEntryTimestamp.Sign(key, "never published"u8, 1, DateTimeOffset.UtcNow))]);
        File.AppendAllText(Path.Combine(log.Path, "timestamps", "000.jsonl"), "{\"index\":2,");

        await using (var writer = log.OpenWriter().Value)
        {
            Assert.True(log.Timestamps.Read(1) is { IsOk: true, Value: null });
            var next = await writer.Writer.AppendWithTimestampAsync(Entry(1));
            Assert.Equal(1, next.Index);
        }
        Assert.Null(EntryTimestampAudit.Verify(log.Storage, log.Timestamps, TestLogs.Verifier(key), 2));
        Assert.EndsWith("\n", File.ReadAllText(Path.Combine(log.Path, "timestamps", "000.jsonl")), StringComparison.Ordinal);
    }

    private sealed class SteppingClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
