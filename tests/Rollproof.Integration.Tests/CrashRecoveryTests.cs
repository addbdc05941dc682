using System.Text;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;
using Xunit.Abstractions;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Kills a process appending to a log (SIGKILL) at random moments, many times over the same log, and checks after each
/// crash: no acknowledged entry is lost or moved or without its signed entry timestamp, every checkpoint seen before the
/// crash is consistent with the next one, and the whole log and its timestamps still verify. ROLLPROOF_CRASH_TRIALS sets the number of trials (default 12).
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly int Trials = int.TryParse(Environment.GetEnvironmentVariable("ROLLPROOF_CRASH_TRIALS"), out var n) ? n : 12;

    private const int TrialsPerLog = 25;

    [Fact]
    public async Task Kill_minus_9_at_random_points_loses_no_acknowledged_entry_and_forks_no_checkpoint()
    {
        var random = new Random(Environment.TickCount);
        var acknowledgedTotal = 0;
        for (var first = 0; first < Trials; first += TrialsPerLog)
            acknowledgedTotal += await RunTrialsOnOneLog(first, Math.Min(Trials, first + TrialsPerLog), random);
        Assert.True(acknowledgedTotal > 0, "no append was ever acknowledged before a kill");
    }

    private async Task<int> RunTrialsOnOneLog(int firstTrial, int endTrial, Random random)
    {
        using var dir = new TempDirectory();
        var (logDir, verifier) = LogAppenderProcess.CreateLog(dir);
        var acknowledged = new Dictionary<long, string>();
        var lastSeen = Checkpoint.Open(File.ReadAllBytes(Path.Combine(logDir, "checkpoint")), verifier).Value.Checkpoint;

        for (var trial = firstTrial; trial < endTrial; trial++)
        {
            var killAfter = TimeSpan.FromMilliseconds(random.Next(0, 400));
            using var run = LogAppenderProcess.Start(logDir, $"t{trial}");
            run.KillAfter(killAfter);
            foreach (var (entry, index) in run.Acks)
                acknowledged[index] = entry;

            // Reopening recovers; the next checkpoint must extend every one seen before the crash.
            var log = LogDirectory.Open(logDir).Value;
            await using (var writer = log.OpenWriter().Value)
                await writer.Writer.AppendAsync(Encoding.UTF8.GetBytes($"after crash {trial}"));
            var storage = new FileSystemLogStorage(logDir);
            var next = Checkpoint.Open(storage.Read("checkpoint")!, verifier).Value.Checkpoint;
            var proofs = new ProofBuilder(new TileNodeSource(storage, next.Size));
            foreach (var seen in run.Checkpoints.Select(c => Checkpoint.Open(c, verifier).Value.Checkpoint).Append(lastSeen).Where(c => c.Size > 0))
            {
                var problem = MerkleProofs.VerifyConsistency(seen.Size, next.Size, seen.RootHash, next.RootHash, proofs.Consistency(seen.Size, next.Size).Value);
                Assert.True(problem is null, $"trial {trial}: checkpoint at size {seen.Size} is not consistent with size {next.Size}: {problem}");
            }
            var entries = ReadAll(storage, next.Size);
            foreach (var (index, entry) in acknowledged)
                Assert.True(entries[(int)index] == entry, $"trial {trial}: acknowledged entry {entry} is not at index {index}");
            var audited = TileLogAuditor.Verify(storage, verifier);
            Assert.True(audited.IsOk, $"trial {trial}: {audited.Problem}");
            // Every acknowledged entry has its timestamp, and every timestamp kept is the log's for its entry.
            Assert.All(acknowledged.Keys, index => Assert.True(log.Timestamps.Read(index) is { IsOk: true, Value: not null }, $"trial {trial}: acknowledged entry {index} has no timestamp"));
            Assert.Null(EntryTimestampAudit.Verify(storage, log.Timestamps, verifier, next.Size));
            output.WriteLine($"trial {trial}: killed after {killAfter.TotalMilliseconds} ms, {run.Acks.Count} acks, {run.Checkpoints.Count} checkpoints, log size {next.Size}");
            lastSeen = next;
        }
        return acknowledged.Count;
    }

    internal static List<string> ReadAll(ILogStorage storage, long size)
    {
        var entries = new List<string>((int)size);
        for (long tile = 0; tile * TilePath.TileWidth < size; tile++)
        {
            var width = TilePath.WidthAt(0, tile, size);
            var path = TilePath.EntryBundle(tile, width);
            entries.AddRange(EntryBundle.Decode(storage.Read(path)!, width, path).Value.Select(e => Encoding.UTF8.GetString(e.Span)));
        }
        return entries;
    }
}
