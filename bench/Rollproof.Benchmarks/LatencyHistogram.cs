using System.Diagnostics;

namespace Rollproof.Benchmarks;

/// <summary>Latencies in 1 ms buckets up to a minute: constant memory however many appends are measured.</summary>
internal sealed class LatencyHistogram
{
    private readonly long[] _buckets = new long[60_001];
    private long _count;

    public void Record(long stopwatchTicks)
    {
        var ms = (int)Math.Min(_buckets.Length - 1, stopwatchTicks * 1000 / Stopwatch.Frequency);
        Interlocked.Increment(ref _buckets[ms]);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The upper edge, in milliseconds, of the bucket holding the given fraction of samples.</summary>
    public int PercentileMs(double fraction)
    {
        var target = (long)Math.Ceiling(_count * fraction);
        long seen = 0;
        for (var ms = 0; ms < _buckets.Length; ms++)
        {
            seen += _buckets[ms];
            if (seen >= target && seen > 0)
                return ms + 1;
        }
        return _buckets.Length;
    }
}
