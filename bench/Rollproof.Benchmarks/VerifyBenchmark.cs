using System.Diagnostics;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Benchmarks;

/// <summary>A full re-verification of a log directory, as <c>rollproof log verify</c> does it.</summary>
internal static class VerifyBenchmark
{
    public static void Run(BenchOptions options)
    {
        var log = LogDirectory.Open(options.LogDir).Value;
        var timer = Stopwatch.StartNew();
        var verified = TileLogAuditor.Verify(log.Storage, log.Verifier);
        timer.Stop();
        if (!verified.IsOk)
            throw new InvalidOperationException(verified.Problem.ToString());
        Console.WriteLine($"verified {verified.Value.Size:N0} entries and all tiles in {timer.Elapsed.TotalSeconds:0.00} s ({verified.Value.Size / timer.Elapsed.TotalSeconds:N0} entries/s)");
    }
}
