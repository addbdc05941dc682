using BenchmarkDotNet.Running;
using Rollproof.Benchmarks;

// dotnet run -c Release --project bench/Rollproof.Benchmarks -- <append|proofs|proofs-file|sigstore|verify|release-publish|release-verify|rollback-decision|micro> [options]
// See docs/benchmarks.md for the commands behind each recorded figure.
var command = args.FirstOrDefault();
var options = BenchOptions.Parse(args.Skip(1).ToArray());
switch (command)
{
    case "append":
        await AppendBenchmark.RunAsync(options);
        return 0;
    case "proofs":
        ProofBenchmark.Run(options);
        return 0;
    case "proofs-file" when args.Length >= 2:
        ProofFileBenchmark.Run(args[1], options.Seconds);
        return 0;
    case "sigstore" when args.Length >= 2:
        SigstoreBundleBenchmark.Run(args[1], options.Seconds, options.Threads);
        return 0;
    case "verify":
        VerifyBenchmark.Run(options);
        return 0;
    case "release-publish":
        await ReleasePublishBenchmark.RunAsync(options);
        return 0;
    case "rollback-decision":
        await RollbackDecisionBenchmark.RunAsync(options);
        return 0;
    case "release-verify":
        await ReleaseVerifyBenchmark.RunAsync(options);
        return 0;
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args.Skip(1).ToArray());
        return 0;
    default:
        Console.Error.WriteLine("usage: Rollproof.Benchmarks append|proofs|proofs-file FILE|sigstore CASES|verify|release-publish|release-verify|rollback-decision|micro [--entries N] [--entry-size B] [--dir DIR] [--seconds S] [--size-mb M] [--runs R] [--threads T]");
        return 2;
}
