using System.Diagnostics;
using Rollproof.Fuzz.Mutations;

namespace Rollproof.Fuzz;

/// <param name="Seed">Seeds the mutations: with the iteration it names each input.</param>
/// <param name="Start">The first iteration (a run can resume where another stopped).</param>
/// <param name="Trace">Write each input to this file before running it: finds the input that killed the process (a stack overflow cannot be caught).</param>
/// <param name="Budget">Stop after this long even if fewer than <paramref name="Inputs"/> ran (the result says how many did).</param>
public sealed record CampaignOptions(int Seed, long Inputs, long Start = 0, string FailureDirectory = "fuzz-failures", string? Trace = null, TimeSpan? Budget = null);

/// <summary>
/// Runs one target over generated inputs on one worker thread, watched: an exception escaping the parser is a crash,
/// an input taking over <see cref="HangLimit"/> (twice, so a busy machine is not blamed on the parser) a hang, one
/// allocating over <see cref="AllocationLimit"/> a failure. An input still running after <see cref="AbandonAfter"/>
/// ends the run. The first input of each distinct failure is saved with the command that reproduces it.
/// </summary>
public sealed class Campaign
{
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(30);
    public const long AllocationLimit = 256L << 20;
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(15);

    private readonly FuzzTarget _target;
    private readonly CampaignOptions _options;
    private readonly Mutator _mutator;
    private readonly List<Failure> _failures = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _crashes, _hangs, _overAllocations;
    private long _maxAllocated, _slowestTicks, _done;
    private volatile Running? _running;
    private volatile bool _stop;

    private sealed record Running(long Iteration, byte[] Input, long StartedAt);

    private Campaign(FuzzTarget target, CampaignOptions options)
    {
        _target = target;
        _options = options;
        _mutator = new Mutator(target.Seeds(), target.Shape);
    }

    public static CampaignResult Run(FuzzTarget target, CampaignOptions options, Action<string>? progress = null) =>
        new Campaign(target, options).Run(progress);

    /// <summary>Input number <paramref name="iteration"/> of a run with <paramref name="seed"/>.</summary>
    public static byte[] Input(FuzzTarget target, int seed, long iteration) => new Mutator(target.Seeds(), target.Shape).Input(seed, iteration);

    private CampaignResult Run(Action<string>? progress)
    {
        var clock = Stopwatch.StartNew();
        // The default stack size of a secondary thread (1.5 MB), like the server's request threads: deep recursion shows.
        var worker = new Thread(Work) { IsBackground = true, Name = "fuzz " + _target.Name };
        worker.Start();
        var nextProgress = ProgressEvery;
        while (!worker.Join(100))
        {
            if (clock.Elapsed > _options.Budget)
                _stop = true;
            if (_running is { } running && Stopwatch.GetElapsedTime(running.StartedAt) > AbandonAfter)
            {
                _hangs++;
                Record(running.Iteration, running.Input, FailureKind.Hang, $"still running after {AbandonAfter.TotalSeconds:0} s; the run was abandoned", "abandoned");
                break;
            }
            if (progress is not null && clock.Elapsed >= nextProgress)
            {
                var done = Interlocked.Read(ref _done);
                progress($"{_target.Name}: {done:N0}/{_options.Inputs:N0} inputs, {done / clock.Elapsed.TotalSeconds:N0}/s, {_crashes} crashes, {_hangs} hangs, {_overAllocations} over {AllocationLimit >> 20} MB");
                nextProgress += ProgressEvery;
            }
        }
        lock (_failures)
            return new CampaignResult(_target, _options.Seed, Interlocked.Read(ref _done), _crashes, _hangs, _overAllocations, _maxAllocated,
                TimeSpan.FromTicks(_slowestTicks), clock.Elapsed, [.. _failures]);
    }

    private void Work()
    {
        for (var iteration = _options.Start; iteration < _options.Start + _options.Inputs && !_stop; iteration++)
        {
            var input = _mutator.Input(_options.Seed, iteration);
            if (_options.Trace is { } trace)
                File.WriteAllBytes(trace, input);
            var outcome = Measure(iteration, input);
            if (outcome.Error is { } error)
            {
                _crashes++;
                Record(iteration, input, FailureKind.Crash, error.ToString(), error.GetType().FullName + " " + FirstFrame(error));
            }
            if (outcome.Elapsed > HangLimit && Measure(iteration, input).Elapsed > HangLimit)
            {
                _hangs++;
                Record(iteration, input, FailureKind.Hang, $"took {outcome.Elapsed.TotalMilliseconds:N0} ms, and again over {HangLimit.TotalSeconds:0} s when run a second time", "hang");
            }
            if (outcome.Allocated > AllocationLimit)
            {
                _overAllocations++;
                Record(iteration, input, FailureKind.Allocation, $"allocated {outcome.Allocated:N0} bytes, more than {AllocationLimit:N0}", "allocation");
            }
            _maxAllocated = Math.Max(_maxAllocated, outcome.Allocated);
            _slowestTicks = Math.Max(_slowestTicks, outcome.Elapsed.Ticks);
            Interlocked.Increment(ref _done);
        }
        _running = null;
    }

    private sealed record Outcome(Exception? Error, TimeSpan Elapsed, long Allocated);

    private Outcome Measure(long iteration, byte[] input)
    {
        // Process-wide, so allocations on threads the parser starts (the tile auditor's Parallel.For) count too.
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        _running = new Running(iteration, input, started);
        Exception? error = null;
        try
        {
            _target.Run(input);
        }
#pragma warning disable CA1031 // Any exception escaping a parser is exactly what this looks for.
        catch (Exception e)
#pragma warning restore CA1031
        {
            error = e;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        _running = null;
        return new Outcome(error, elapsed, GC.GetTotalAllocatedBytes() - allocatedBefore);
    }

    private void Record(long iteration, byte[] input, FailureKind kind, string detail, string signature)
    {
        lock (_failures)
        {
            if (!_seen.Add(kind + " " + signature))
                return;
            Directory.CreateDirectory(_options.FailureDirectory);
            var path = Path.GetFullPath(Path.Combine(_options.FailureDirectory, $"{_target.Name}-{_options.Seed}-{iteration}.bin"));
            File.WriteAllBytes(path, input);
            _failures.Add(new Failure(_target.Name, _options.Seed, iteration, kind, detail, path));
        }
    }

    private static string FirstFrame(Exception error) =>
        new StackTrace(error, fNeedFileInfo: false).GetFrames().Select(f => f.GetMethod()).FirstOrDefault(m => m?.DeclaringType?.Namespace?.StartsWith("Rollproof", StringComparison.Ordinal) == true) is { } method
            ? $"{method.DeclaringType!.FullName}.{method.Name}"
            : "";
}
