namespace Rollproof.Fuzz;

public enum FailureKind
{
    Crash,
    Hang,
    Allocation,
}

/// <summary>One input that broke a rule, how to make it again, and where its bytes were saved.</summary>
public sealed record Failure(string Target, int Seed, long Iteration, FailureKind Kind, string Detail, string? SavedTo)
{
    public string Replay => $"dotnet run --project fuzz/Rollproof.Fuzz -c Release -- --target {Target} --seed {Seed} --replay {Iteration}";

    public override string ToString() =>
        $"{Kind.ToString().ToUpperInvariant()} {Target} seed {Seed} iteration {Iteration}{(SavedTo is null ? "" : $" (input saved to {SavedTo})")}\n  {Detail.Replace("\n", "\n  ", StringComparison.Ordinal)}\n  reproduce: {Replay}";
}
