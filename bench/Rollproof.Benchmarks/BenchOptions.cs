namespace Rollproof.Benchmarks;

/// <summary>Options shared by the benchmark commands: <c>--entries</c>, <c>--entry-size</c>, <c>--dir</c>, <c>--seconds</c>, <c>--in-flight</c>, <c>--size-mb</c>, <c>--runs</c>, <c>--threads</c> (default: the processor count).</summary>
internal sealed record BenchOptions(long Entries, int EntrySize, string? Dir, double Seconds, int InFlight, bool Dedup, int SizeMb, int Runs, int Threads)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        return new BenchOptions(
            long.Parse(Value("--entries") ?? "1000000"),
            int.Parse(Value("--entry-size") ?? "1024"),
            Value("--dir"),
            double.Parse(Value("--seconds") ?? "3"),
            int.Parse(Value("--in-flight") ?? "50000"),
            Value("--dedup") != "off",
            int.Parse(Value("--size-mb") ?? "100"),
            int.Parse(Value("--runs") ?? "5"),
            int.Parse(Value("--threads") ?? Environment.ProcessorCount.ToString()));
    }

    /// <summary>The log directory: the given one, or a fresh one under the temp folder.</summary>
    public string LogDir => Dir ?? Path.Combine(Path.GetTempPath(), $"rollproof-bench-{Entries}");
}
