using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Tests.Storage;

/// <summary>
/// An operator who restores a log directory's files from an older copy (its checkpoint, its tiles, both, or the whole
/// directory) cannot rewind the log: the writer's records of the checkpoints it published refuse it, naming both
/// checkpoints, and nothing is appended. A deliberate repair is recorded and logged.
/// </summary>
public sealed class LogRewindTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Ed25519NoteSigner _key = NoteKeys.GenerateEd25519("rewind.example/log");
    private readonly LogDirectory _log;

    public LogRewindTests()
    {
        File.WriteAllText(_dir.Combine("key"), _key.SignerKey);
        _log = LogDirectory.Init(_dir.Combine("log"), _key.Name, _dir.Combine("key")).Value;
    }

    public void Dispose()
    {
        File.Delete(WriterRecord);
        _dir.Dispose();
    }

    private string LogPath => _log.Path;

    private string WriterRecord => CheckpointRecordFile.OfWriter(_log.Verifier).Path;

    private string InLogRecord => CheckpointRecordFile.InLog(LogPath, _log.Verifier).Path;

    [Fact]
    public async Task Restoring_an_older_checkpoint_alone_is_refused_naming_both_and_appends_nothing()
    {
        await AppendAsync("a", "b");
        var older = Head();
        var olderBytes = File.ReadAllBytes(Path.Combine(LogPath, "checkpoint"));
        await AppendAsync("c", "d");
        var published = Head();

        File.WriteAllBytes(Path.Combine(LogPath, "checkpoint"), olderBytes);

        AssertRewound(_log.OpenWriter().Problem, older, published);
        AssertRewound(_log.ReadCheckpoint().Problem, older, published);
        Assert.Equal(olderBytes, File.ReadAllBytes(Path.Combine(LogPath, "checkpoint")));
        Assert.Equal("d", Encoding.UTF8.GetString(LogEntries.Read(_log.Storage, 3, 4).Value));
    }

    [Fact]
    public async Task Restoring_older_tiles_alone_is_refused()
    {
        await AppendAsync("a", "b");
        Folders.Copy(Path.Combine(LogPath, "tile"), _dir.Combine("tiles-before"));
        await AppendAsync("c", "d");
        var published = Head();

        Folders.Restore(_dir.Combine("tiles-before"), Path.Combine(LogPath, "tile"));

        var refused = _log.OpenWriter().Problem;
        AssertRewound(refused, published, published);
        Assert.Contains("tiles do not give the published root", refused!.Message, StringComparison.Ordinal);
        AssertRewound(_log.ReadCheckpoint().Problem, published, published);
    }

    [Fact]
    public async Task Restoring_checkpoint_and_tiles_is_refused_by_the_logs_own_record_even_without_the_writers_state()
    {
        var (older, published) = await BackUpThenPublishMoreAsync();

        // Another machine, or a lost home folder: only the record inside the log directory is left.
        File.Delete(WriterRecord);
        File.Copy(Path.Combine(Backup, "checkpoint"), Path.Combine(LogPath, "checkpoint"), overwrite: true);
        Folders.Restore(Path.Combine(Backup, "tile"), Path.Combine(LogPath, "tile"));

        var refused = _log.OpenWriter().Problem;
        AssertRewound(refused, older, published);
        Assert.Contains(InLogRecord, refused!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restoring_the_whole_directory_is_refused_by_the_writers_own_record()
    {
        var (older, published) = await BackUpThenPublishMoreAsync();

        Folders.Restore(Backup, LogPath);

        var refused = _log.OpenWriter().Problem;
        AssertRewound(refused, older, published);
        Assert.Contains(WriterRecord, refused!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_checkpoint_recorded_but_not_published_before_a_crash_reopens_and_the_log_goes_on()
    {
        await AppendAsync("a");
        var olderBytes = File.ReadAllBytes(Path.Combine(LogPath, "checkpoint"));
        await AppendAsync("b");

        // The crash: the record holds the signed checkpoint (fsynced first), the checkpoint file is still the old one,
        // and a torn line follows.
        File.WriteAllBytes(Path.Combine(LogPath, "checkpoint"), olderBytes);
        foreach (var record in new[] { InLogRecord, WriterRecord })
            File.WriteAllText(record, string.Concat(File.ReadAllLines(record).SkipLast(1).Select(l => l + "\n")) + "signed AAA");

        Assert.True(_log.ReadCheckpoint().IsOk);
        await AppendAsync("c");
        Assert.Equal(2, Head().Size);
        Assert.EndsWith($"published 2 {Convert.ToBase64String(Head().RootHash)}", File.ReadAllText(InLogRecord).TrimEnd('\n'), StringComparison.Ordinal);
        Assert.True(_log.ReadCheckpoint().IsOk);
    }

    [Fact]
    public async Task A_publication_whose_line_was_lost_is_recorded_again_on_opening()
    {
        await AppendAsync("a");
        foreach (var record in new[] { InLogRecord, WriterRecord })
            File.WriteAllLines(record, File.ReadAllLines(record).SkipLast(1));

        await AppendAsync("b");

        Assert.True(_log.ReadCheckpoint().IsOk);
        Assert.Equal(2, Head().Size);
    }

    [Fact]
    public async Task A_record_longer_than_its_tail_read_is_checked_from_its_end()
    {
        await AppendAsync("a");
        var older = File.ReadAllBytes(Path.Combine(LogPath, "checkpoint"));
        await using (var writer = _log.OpenWriter().Value)
        {
            // One batch, one checkpoint, two lines each: well past the 16 KiB read from the record's end.
            for (var i = 0; i < 60; i++)
                await writer.Writer.AppendAsync(Encoding.UTF8.GetBytes($"entry {i}"));
        }
        Assert.True(new FileInfo(InLogRecord).Length > 16 * 1024);
        Assert.True(_log.ReadCheckpoint().IsOk);

        File.WriteAllBytes(Path.Combine(LogPath, "checkpoint"), older);

        Assert.Equal(ErrorCodes.LogRewound, _log.ReadCheckpoint().Problem?.Code);
    }

    [Fact]
    public async Task A_record_edited_without_the_log_key_is_refused_as_unusable()
    {
        await AppendAsync("a");
        File.AppendAllText(InLogRecord, $"published 99 {Convert.ToBase64String(new byte[32])}\n");

        Assert.Equal(ErrorCodes.CheckpointRecordUnusable, _log.OpenWriter().Problem?.Code);
        Assert.Equal(ErrorCodes.CheckpointRecordUnusable, _log.ReadCheckpoint().Problem?.Code);
    }

    [Fact]
    public async Task A_new_log_under_a_key_that_already_published_is_refused()
    {
        await AppendAsync("a");

        var again = LogDirectory.Init(_dir.Combine("again"), _key.Name, _dir.Combine("key"));

        Assert.Equal(ErrorCodes.LogRewound, again.Problem?.Code);
        Assert.False(Directory.Exists(_dir.Combine("again", ".rollproof")));
    }

    [Fact]
    public async Task A_deliberate_repair_accepts_the_restored_log_records_it_and_logs_it()
    {
        var (older, lost) = await BackUpThenPublishMoreAsync();
        Folders.Restore(Backup, LogPath);

        var repaired = await LogRepair.RunAsync(_log, "disk lost, restored from the nightly backup", TimeProvider.System);

        Assert.True(repaired.IsOk, repaired.Problem?.ToString());
        var note = repaired.Value!.Note;
        Assert.Equal(RecordedCheckpoints.Describe(lost), RecordedCheckpoints.Describe(note.Rewound));
        Assert.Equal(RecordedCheckpoints.Describe(older), RecordedCheckpoints.Describe(note.Accepted));
        Assert.Equal(older.Size, repaired.Value.Index);
        var logged = LogRepairNote.Open(LogEntries.Read(_log.Storage, repaired.Value.Index, Head().Size).Value, _log.Verifier);
        Assert.Equal("disk lost, restored from the nightly backup", logged.Value.Reason);
        Assert.Contains("repaired ", File.ReadAllText(WriterRecord), StringComparison.Ordinal);
        Assert.True(TileLogAuditor.Verify(_log.Storage, _log.Verifier).IsOk);
        await AppendAsync("d");
        Assert.Null((await LogRepair.RunAsync(_log, "again", TimeProvider.System)).Value);
    }

    [Fact]
    public async Task A_repair_sets_aside_the_timestamps_of_the_entries_it_gives_up()
    {
        foreach (var entry in new[] { "a", "b", "c" })
        {
            await _log.AppendAsync(Encoding.UTF8.GetBytes(entry), TimeProvider.System);
            if (entry == "a")
                Folders.Copy(LogPath, Backup);
        }
        // The checkpoint and tiles come back from the backup; the timestamps of entries 1 and 2 stay.
        File.Copy(Path.Combine(Backup, "checkpoint"), Path.Combine(LogPath, "checkpoint"), overwrite: true);
        Folders.Restore(Path.Combine(Backup, "tile"), Path.Combine(LogPath, "tile"));

        var repaired = await LogRepair.RunAsync(_log, "restored the checkpoint and tiles", TimeProvider.System);

        Assert.Equal(1, repaired.Value?.Index);
        var setAside = Directory.EnumerateFiles(_dir.Combine("log", ".rollproof", "rewound"), "000.jsonl", SearchOption.AllDirectories).Single();
        Assert.Contains("{\"index\":2,", File.ReadAllText(setAside), StringComparison.Ordinal);
        Assert.Null(EntryTimestampAudit.Verify(_log.Storage, _log.Timestamps, _log.Verifier, Head().Size));
    }

    [Fact]
    public async Task A_repair_refuses_a_restored_log_that_does_not_verify()
    {
        await BackUpThenPublishMoreAsync();
        Folders.Restore(Backup, LogPath);
        File.WriteAllBytes(Path.Combine(LogPath, TilePath.EntryBundle(0, 1)), EntryBundle.Encode([Encoding.UTF8.GetBytes("z")]));

        var refused = await LogRepair.RunAsync(_log, "restored", TimeProvider.System);

        Assert.Contains("does not verify", refused.Problem?.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("repaired ", File.ReadAllText(WriterRecord), StringComparison.Ordinal);
    }

    private string Backup => _dir.Combine("backup");

    // The operator backs the log up after entry "a"; entries "b" and "c" are published after the backup.
    private async Task<(Checkpoint BackedUp, Checkpoint Published)> BackUpThenPublishMoreAsync()
    {
        await AppendAsync("a");
        var backedUp = Head();
        Folders.Copy(LogPath, Backup);
        await AppendAsync("b", "c");
        return (backedUp, Head());
    }

    private async Task AppendAsync(params string[] entries)
    {
        await using var writer = _log.OpenWriter().Value;
        await Task.WhenAll(entries.Select(e => writer.Writer.AppendAsync(Encoding.UTF8.GetBytes(e))));
    }

    private Checkpoint Head() => Checkpoint.Open(File.ReadAllBytes(Path.Combine(LogPath, "checkpoint")), _log.Verifier).Value.Checkpoint;

    private static void AssertRewound(Problem? problem, Checkpoint presented, Checkpoint published)
    {
        Assert.Equal(ErrorCodes.LogRewound, problem?.Code);
        Assert.Contains($"checkpoint at {RecordedCheckpoints.Describe(presented)}", problem!.Message, StringComparison.Ordinal);
        Assert.Contains($"published {RecordedCheckpoints.Describe(published)}", problem.Message, StringComparison.Ordinal);
    }
}
