using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Testing;
using Rollproof.Transparency;
using Xunit.Abstractions;

namespace Rollproof.Integration.Tests;

/// <summary>
/// Kills a process appending to a log (SIGKILL) at random moments, many times over the same log, and checks after each
/// crash: no acknowledged entry is lost or moved, every checkpoint seen before the crash is consistent with the next
/// one, and the whole log still verifies. ROLLPROOF_CRASH_TRIALS sets the number of trials (default 12).
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
        var keyFile = dir.Combine("log.key");
        var signer = NoteKeys.GenerateEd25519("crash.example/log");
        File.WriteAllText(keyFile, signer.SignerKey);
        var logDir = dir.Combine("log");
        Assert.True(LogDirectory.Init(logDir, signer.Name, keyFile).IsOk);
        var verifier = NoteKeys.ParseVerifierKey(signer.VerifierKey).Value;
        var acknowledged = new Dictionary<long, string>();
        var lastSeen = Checkpoint.Open(File.ReadAllBytes(Path.Combine(logDir, "checkpoint")), verifier).Value.Checkpoint;

        for (var trial = firstTrial; trial < endTrial; trial++)
        {
            var killAfter = TimeSpan.FromMilliseconds(random.Next(0, 400));
            var run = RunAndKill(logDir, $"t{trial}", killAfter);
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
            output.WriteLine($"trial {trial}: killed after {killAfter.TotalMilliseconds} ms, {run.Acks.Count} acks, {run.Checkpoints.Count} checkpoints, log size {next.Size}");
            lastSeen = next;
        }
        return acknowledged.Count;
    }

    private static List<string> ReadAll(ILogStorage storage, long size)
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

    private sealed record Run(List<(string Entry, long Index)> Acks, List<byte[]> Checkpoints);

    private static Run RunAndKill(string logDir, string runId, TimeSpan killAfter)
    {
        var appender = Path.Combine(AppContext.BaseDirectory, "Rollproof.LogAppender.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["exec", appender, logDir, runId])
            start.ArgumentList.Add(arg);
        var lines = new ConcurrentQueue<string>();
        using var ready = new ManualResetEventSlim();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lines.Enqueue(e.Data);
            if (e.Data == "ready")
                ready.Set();
        };
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!ready.Wait(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the appender did not become ready: " + stderr);
        }
        Thread.Sleep(killAfter);
        process.Kill(entireProcessTree: true);
        process.WaitForExit();

        var run = new Run([], []);
        foreach (var parts in lines.Select(l => l.Split(' ')))
        {
            if (parts[0] == "ack")
                run.Acks.Add(($"{runId}/{parts[1]}", long.Parse(parts[2], CultureInfo.InvariantCulture)));
            else if (parts[0] == "checkpoint")
                run.Checkpoints.Add(Convert.FromBase64String(parts[1]));
        }
        return run;
    }
}
