using System.Text;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;

namespace Rollproof.Integration.Tests;

/// <summary>
/// The writer keeps a batch's signed entry timestamps in one durable write before the checkpoint that covers them. A
/// process killed (SIGKILL) after that write and before the checkpoint leaves timestamps for entries no checkpoint
/// covers, whose indexes the next batch hands to other entries: reopening must forget them, lose no acknowledged
/// entry or timestamp, and leave a store that opens and verifies.
/// </summary>
public sealed class BatchedTimestampCrashTests
{
    [Theory]
    [InlineData("sync")]
    [InlineData("checkpoint")]
    public async Task Killed_between_a_batchs_timestamps_and_its_checkpoint_the_log_reopens_and_verifies(string killAt)
    {
        using var dir = new TempDirectory();
        var (logDir, verifier) = LogAppenderProcess.CreateLog(dir);

        using var run = LogAppenderProcess.Start(logDir, "killed", "--kill-at", killAt, "--batch", "3");
        run.WaitForSelfKill();
        var acknowledged = run.Acks;
        Assert.NotEmpty(acknowledged);

        var log = LogDirectory.Open(logDir).Value;
        var published = log.ReadCheckpoint();
        Assert.True(published.IsOk, published.IsOk ? null : published.Problem.Message);
        var size = published.Value.Checkpoint.Size;
        Assert.All(acknowledged, ack => Assert.True(ack.Index < size));
        // The kill came after the batch's timestamps were durable: the first index beyond the checkpoint has one.
        Assert.True(log.Timestamps.Read(size) is { IsOk: true, Value: not null }, "the killed batch kept no timestamp before its checkpoint");

        await using (var writer = log.OpenWriter().Value)
        {
            Assert.True(log.Timestamps.Read(size) is { IsOk: true, Value: null }, "a timestamp of the unpublished batch outlived the reopen");
            var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => writer.Writer.AppendWithTimestampAsync(Encoding.UTF8.GetBytes($"after crash {i}"))));
            Assert.Contains(again, appended => appended.Index == size);
        }

        var reopened = LogDirectory.Open(logDir).Value;
        var checkpoint = reopened.ReadCheckpoint();
        Assert.True(checkpoint.IsOk, checkpoint.IsOk ? null : checkpoint.Problem.Message);
        var next = checkpoint.Value.Checkpoint;
        var entries = CrashRecoveryTests.ReadAll(reopened.Storage, next.Size);
        foreach (var (entry, index) in acknowledged)
        {
            Assert.Equal(entry, entries[(int)index]);
            var stamp = reopened.Timestamps.Read(index);
            Assert.True(stamp is { IsOk: true, Value: not null }, $"acknowledged entry {index} has no timestamp");
            Assert.Null(stamp.Value!.Verify(verifier, Encoding.UTF8.GetBytes(entry), index));
        }
        var audited = TileLogAuditor.Verify(reopened.Storage, verifier);
        Assert.True(audited.IsOk, audited.IsOk ? null : audited.Problem.Message);
        Assert.Null(EntryTimestampAudit.Verify(reopened.Storage, reopened.Timestamps, verifier, next.Size));
        var proofs = new ProofBuilder(new TileNodeSource(reopened.Storage, next.Size));
        foreach (var seen in run.Checkpoints.Select(c => Checkpoint.Open(c, verifier).Value.Checkpoint))
            Assert.Null(MerkleProofs.VerifyConsistency(seen.Size, next.Size, seen.RootHash, next.RootHash, proofs.Consistency(seen.Size, next.Size).Value));
    }
}
