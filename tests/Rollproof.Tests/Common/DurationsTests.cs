using Rollproof.Common;

namespace Rollproof.Tests.Common;

/// <summary>Every duration is read into the range its use allows: nothing from outside overflows a TimeSpan or a timer.</summary>
public class DurationsTests
{
    public static TheoryData<string, string> Refused => new()
    {
        { "99999999d", "step" }, { "60d", "step" }, { "25h", "step" }, { "86401s", "step" }, { "0s", "step" },
        { "9223372036854775807d", "dwell" }, { "99999999999999999999s", "step" },
        { "99999999d", "expiry" }, { "91d", "expiry" }, { "0s", "expiry" },
        { "99999999d", "policy" }, { "3651d", "policy" }, { "2147483647d", "policy" },
        { "", "step" }, { "s", "step" }, { "10", "step" }, { "1w", "step" }, { "-1h", "step" }, { "+1h", "step" }, { " 1h", "step" }, { "1.5h", "step" },
    };

    public static TheoryData<string, string, long> Read => new()
    {
        { "1d", "step", TimeSpan.TicksPerDay }, { "24h", "step", TimeSpan.TicksPerDay }, { "86400s", "step", TimeSpan.TicksPerDay },
        { "0s", "dwell", 0 }, { "90d", "expiry", 90 * TimeSpan.TicksPerDay }, { "3650d", "policy", 3650 * TimeSpan.TicksPerDay },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_duration_outside_its_range_is_refused_saying_the_range(string text, string use)
    {
        var parsed = Durations.Parse(text, Range(use));

        Assert.Equal(ErrorCodes.InputMalformed, parsed.Problem?.Code);
        Assert.Contains($"to {Durations.Format(Range(use).Max)}", parsed.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Read))]
    public void A_duration_within_its_range_is_read(string text, string use, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), Durations.Parse(text, Range(use)).Value);

    [Fact]
    public void A_step_wait_always_fits_a_timer() =>
        Assert.True(Durations.StepWait.Max.TotalMilliseconds < int.MaxValue - 1, "CancelAfter and Task.Delay take at most int.MaxValue - 1 ms");

    private static DurationRange Range(string use) => use switch
    {
        "step" => Durations.StepWait,
        "dwell" => Durations.StepDwell,
        "expiry" => Durations.ApprovalExpiry,
        _ => Durations.PolicyWindow,
    };
}
