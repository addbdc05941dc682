namespace Rollproof.Fuzz;

/// <summary>What a run of one target found; <see cref="Failures"/> holds the first input of each distinct failure.</summary>
public sealed record CampaignResult(
    FuzzTarget Target,
    int Seed,
    long Inputs,
    int Crashes,
    int Hangs,
    int OverAllocations,
    long MaxAllocated,
    TimeSpan Slowest,
    TimeSpan Elapsed,
    IReadOnlyList<Failure> Failures)
{
    public bool Passed => Crashes == 0 && Hangs == 0 && OverAllocations == 0;

    public double Rate => Inputs / Math.Max(Elapsed.TotalSeconds, 1e-3);
}
