namespace Rollproof.Benchmarks;

/// <summary>Resident and peak resident memory of this process, from /proc/self/status.</summary>
internal static class Memory
{
    public static (long RssMb, long PeakMb) Read()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kb(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = Kb(line);
        }
        return (rss / 1024, peak / 1024);
    }

    private static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
