using System.Diagnostics;
using System.Globalization;

namespace Rollproof.LoadGen;

/// <summary>What a <see cref="LoadRun"/> measured: successful requests and their sorted latencies, errors, and the first error seen.</summary>
public sealed record LoadReport(int Clients, int Streams, TimeSpan Elapsed, long[] SortedLatencyTicks, long Errors, string? FirstError)
{
    public long Succeeded => SortedLatencyTicks.Length;

    public double PerSecond => Succeeded / Elapsed.TotalSeconds;

    /// <summary>The latency below which <paramref name="fraction"/> of the successful requests were answered (nearest rank).</summary>
    public TimeSpan Percentile(double fraction)
    {
        if (SortedLatencyTicks.Length == 0)
            return TimeSpan.Zero;
        var rank = (int)Math.Ceiling(fraction * SortedLatencyTicks.Length) - 1;
        return Stopwatch.GetElapsedTime(0, SortedLatencyTicks[Math.Clamp(rank, 0, SortedLatencyTicks.Length - 1)]);
    }

    public override string ToString()
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Clients} clients{(Streams > 1 ? $" x {Streams} HTTP/2 streams" : "")}, {Elapsed.TotalSeconds:0.0} s: {Succeeded:N0} ok ({PerSecond:N0}/s), {Errors:N0} errors; " +
            $"latency p50 {Ms(Percentile(0.50))}, p95 {Ms(Percentile(0.95))}, p99 {Ms(Percentile(0.99))}, max {Ms(Percentile(1.0))}");
        return FirstError is null ? text : $"{text}\nfirst error: {FirstError}";
    }
}
