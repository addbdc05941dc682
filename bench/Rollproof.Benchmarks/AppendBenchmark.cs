using System.Buffers.Binary;
using System.Diagnostics;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Benchmarks;

/// <summary>
/// Sustained appends of unique entries with dedup on, as many producers would make them: keeps a fixed number of
/// appends in flight and measures throughput, the time from Append to the covering checkpoint, and resident memory.
/// </summary>
internal static class AppendBenchmark
{
    public static async Task RunAsync(BenchOptions options)
    {
        var dir = options.LogDir;
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        var signer = NoteKeys.GenerateEd25519("bench.example/log");
        var keyFile = Path.Combine(Path.GetTempPath(), $"rollproof-bench-{Guid.NewGuid():N}.key");
        File.WriteAllText(keyFile, signer.SignerKey);
        var log = LogDirectory.Init(dir, signer.Name, keyFile).Value;
        var latencies = new LatencyHistogram();
        var template = new byte[options.EntrySize];
        Random.Shared.NextBytes(template);
        var inFlight = new SemaphoreSlim(options.InFlight);
        var checkpoints = 0;
        var rssSamples = new List<string>();
        var nextSample = options.Entries / 10;

        var total = Stopwatch.StartNew();
        var dedup = options.Dedup ? new SqliteDedupIndex(Path.Combine(dir, ".rollproof", "dedup.db")) : null;
        await using (var writer = LogWriter.Open(log.Storage, signer, dedup).Value)
        {
            writer.CheckpointPublished += _ => checkpoints++;
            var pending = new List<Task>();
            for (long i = 0; i < options.Entries; i++)
            {
                await inFlight.WaitAsync();
                var entry = (byte[])template.Clone();
                BinaryPrimitives.WriteInt64BigEndian(entry, i);
                var started = Stopwatch.GetTimestamp();
                pending.Add(writer.AppendAsync(entry).ContinueWith(_ =>
                {
                    latencies.Record(Stopwatch.GetTimestamp() - started);
                    inFlight.Release();
                }, TaskScheduler.Default));
                if (pending.Count >= 100_000)
                {
                    pending.RemoveAll(t => t.IsCompleted);
                }
                if (i + 1 == nextSample)
                {
                    var (rss, _) = Memory.Read();
                    rssSamples.Add($"{(i + 1) / 1000}k: {rss} MB");
                    nextSample += options.Entries / 10;
                }
            }
            await Task.WhenAll(pending);
        }
        total.Stop();
        File.Delete(keyFile);

        var (finalRss, peak) = Memory.Read();
        Console.WriteLine($"appended {options.Entries:N0} entries of {options.EntrySize} B (dedup {(options.Dedup ? "on" : "off")}, {options.InFlight:N0} in flight) in {total.Elapsed.TotalSeconds:0.00} s");
        Console.WriteLine($"throughput: {options.Entries / total.Elapsed.TotalSeconds:N0} entries/s, {checkpoints:N0} checkpoints ({options.Entries / Math.Max(1, checkpoints):N0} entries each)");
        Console.WriteLine($"append -> covering checkpoint: p50 {latencies.PercentileMs(0.50):0} ms, p99 {latencies.PercentileMs(0.99):0} ms, max {latencies.PercentileMs(1.0):0} ms");
        Console.WriteLine($"resident memory: {string.Join(", ", rssSamples)}; final {finalRss} MB, peak {peak} MB");
        Console.WriteLine($"log directory: {dir}");
    }
}
