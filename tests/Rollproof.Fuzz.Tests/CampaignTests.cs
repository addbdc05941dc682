using Rollproof.Fuzz;
using Rollproof.Fuzz.Targets;
using Rollproof.Testing;

namespace Rollproof.Fuzz.Tests;

/// <summary>The harness itself: inputs named by (target, seed, iteration) for ever, and each rule it enforces catching a breach.</summary>
public sealed class CampaignTests : IDisposable
{
    private readonly TempDirectory _failures = new();

    [Fact]
    public void An_input_is_made_again_from_its_target_seed_and_iteration()
    {
        var target = Catalogue.Named("dsse")!;

        Assert.Equal(Campaign.Input(target, 7, 12_345), Campaign.Input(target, 7, 12_345));
        Assert.NotEqual(Campaign.Input(target, 7, 12_345), Campaign.Input(target, 7, 12_346));
        Assert.NotEqual(Campaign.Input(target, 7, 12_345), Campaign.Input(target, 8, 12_345));
    }

    [Fact]
    public void The_first_inputs_are_the_seeds_themselves()
    {
        var target = Catalogue.Named("receipt")!;

        Assert.Equal(target.Seeds()[0], Campaign.Input(target, 1, 0));
    }

    [Fact]
    public void An_exception_escaping_the_parser_is_a_crash_saved_with_the_command_that_makes_it_again()
    {
        var result = Run(input => _ = input.Length > 3 ? throw new InvalidOperationException("parser bug") : 0, inputs: 50);

        Assert.True(result.Crashes > 0);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(FailureKind.Crash, failure.Kind);
        Assert.Contains("parser bug", failure.Detail, StringComparison.Ordinal);
        Assert.Equal(Campaign.Input(Probe(_ => { }), 5, failure.Iteration), File.ReadAllBytes(failure.SavedTo!));
        Assert.Contains($"--target probe --seed 5 --replay {failure.Iteration}", failure.Replay, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_over_one_second_twice_is_a_hang()
    {
        // The parser stands in for one that loops: it takes 1.2 s on the first input, each time it sees it.
        var result = Run(input => Thread.Sleep(input.Length == 4 ? 1200 : 0), inputs: 1);

        Assert.Equal(1, result.Hangs);
        Assert.Equal(FailureKind.Hang, Assert.Single(result.Failures).Kind);
    }

    [Fact]
    public void An_input_allocating_over_256_MB_is_a_failure()
    {
        var result = Run(_ => GC.KeepAlive(new byte[Campaign.AllocationLimit + 1]), inputs: 1);

        Assert.Equal(1, result.OverAllocations);
        Assert.True(result.MaxAllocated > Campaign.AllocationLimit);
    }

    [Fact]
    public void Well_behaved_parsers_pass()
    {
        var result = Run(input => GC.KeepAlive(input.Reverse().ToArray()), inputs: 200);

        Assert.True(result.Passed);
        Assert.Equal(200, result.Inputs);
    }

    private CampaignResult Run(Action<byte[]> parser, int inputs) =>
        Campaign.Run(Probe(parser), new CampaignOptions(Seed: 5, inputs, FailureDirectory: _failures.Path));

    private static FuzzTarget Probe(Action<byte[]> parser) => new("probe", "a stand-in parser", InputShape.Lines, () => ["abcd"u8.ToArray(), "a\nb"u8.ToArray()], parser);

    public void Dispose() => _failures.Dispose();
}
