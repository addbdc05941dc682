using System.Diagnostics;
using System.Globalization;

namespace Rollproof.LoadGen;

/// <summary>The stages of a submission the bench host times apart.</summary>
public enum Stage
{
    Parse,
    Verify,
    AppendWait,
}

/// <summary>
/// Wall time per stage of the bench host's submissions, summed over all of them (bench only; production code paths
/// carry no counters). Parse and verify are CPU on the request's thread; the append wait is the time until a durable
/// checkpoint covers the entry: queueing, the sequencer's work (hashing, tiles, timestamps) and its fsyncs.
/// </summary>
public sealed class StageClock
{
    private readonly long[] _ticks = new long[Enum.GetValues<Stage>().Length];
    private readonly long[] _counts = new long[Enum.GetValues<Stage>().Length];

    public static long Now => Stopwatch.GetTimestamp();

    /// <summary>Adds the time since <paramref name="since"/> to <paramref name="stage"/>; returns now, where the next stage starts.</summary>
    public long Add(Stage stage, long since)
    {
        var now = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _ticks[(int)stage], now - since);
        Interlocked.Increment(ref _counts[(int)stage]);
        return now;
    }

    public override string ToString() => string.Join(", ", Enum.GetValues<Stage>().Select(stage =>
        string.Create(CultureInfo.InvariantCulture, $"{stage} {Stopwatch.GetElapsedTime(0, _ticks[(int)stage] / Math.Max(1, _counts[(int)stage])).TotalMilliseconds:0.000} ms")));
}
