using Rollproof.Fuzz;
using Rollproof.Fuzz.Targets;
using Rollproof.Testing;

namespace Rollproof.Fuzz.Tests;

/// <summary>
/// The suite's short run: every target, its seeds and then mutants, with the rules of the long run (no exception
/// escaping the parser, no input over 1 s, none allocating over 256 MB). docs/reliability.md has the long run.
/// </summary>
public sealed class ShortFuzzRunTests : IDisposable
{
    private const int Inputs = 1000;
    private readonly TempDirectory _failures = new();

    public static TheoryData<string> Targets() => [.. Catalogue.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_short_run_finds_no_crash_hang_or_runaway_allocation(string name)
    {
        var result = Campaign.Run(Catalogue.Named(name)!, new CampaignOptions(Seed: 1, Inputs, FailureDirectory: _failures.Path));

        Assert.True(result.Passed, string.Join("\n", result.Failures));
        Assert.Equal(Inputs, result.Inputs);
    }

    public void Dispose() => _failures.Dispose();
}
