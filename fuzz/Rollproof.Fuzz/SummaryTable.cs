namespace Rollproof.Fuzz;

/// <summary>The results as the Markdown table docs/reliability.md keeps.</summary>
public static class SummaryTable
{
    public static string Render(IEnumerable<CampaignResult> results, long start = 0)
    {
        var lines = new List<string>
        {
            "| target | parser | inputs | crashes | hangs > 1 s | over 256 MB | max allocation | slowest input | rate | seed | iterations | duration |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
        };
        lines.AddRange(results.Select(r =>
            $"| {r.Target.Name} | {r.Target.Parser} | {r.Inputs:N0} | {r.Crashes} | {r.Hangs} | {r.OverAllocations} | {Megabytes(r.MaxAllocated)} | {r.Slowest.TotalMilliseconds:N0} ms | {r.Rate:N0}/s | {r.Seed} | {start:N0}–{start + r.Inputs - 1:N0} | {Duration(r.Elapsed)} |"));
        return string.Join('\n', lines);
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):N1} MB";

    private static string Duration(TimeSpan elapsed) => elapsed.TotalHours >= 1 ? $"{(int)elapsed.TotalHours} h {elapsed.Minutes} min" : elapsed.TotalMinutes >= 1 ? $"{(int)elapsed.TotalMinutes} min {elapsed.Seconds} s" : $"{elapsed.TotalSeconds:N0} s";
}
