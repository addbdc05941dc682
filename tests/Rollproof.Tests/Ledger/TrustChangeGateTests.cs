using Rollproof.Ledger;

namespace Rollproof.Tests.Ledger;

/// <summary>
/// The gate a server's intake orders appends and trust changes with: a change runs alone, appends run together, and
/// neither kind starves the other. Each step is observed from the tasks' states, never from timing.
/// </summary>
public sealed class TrustChangeGateTests
{
    [Fact]
    public async Task A_change_waits_for_the_appends_inside_and_holds_back_those_that_arrive_after_it()
    {
        using var gate = new TrustChangeGate();
        var first = await gate.AppendAsync(CancellationToken.None);
        var second = await gate.AppendAsync(CancellationToken.None);

        var change = gate.ChangeAsync(CancellationToken.None);
        var late = gate.AppendAsync(CancellationToken.None);

        Assert.False(change.IsCompleted);
        Assert.False(late.IsCompleted);
        first.Dispose();
        Assert.False(change.IsCompleted);
        second.Dispose();
        var alone = await change;
        Assert.False(late.IsCompleted);
        gate.Changed();
        alone.Dispose();
        (await late).Dispose();
        Assert.Equal(1, gate.Changes);
    }

    [Fact]
    public async Task Appends_held_back_by_a_change_enter_together_before_the_next_change()
    {
        using var gate = new TrustChangeGate();
        var firstChange = await gate.ChangeAsync(CancellationToken.None);
        var held = Enumerable.Range(0, 50).Select(_ => gate.AppendAsync(CancellationToken.None)).ToList();
        var secondChange = gate.ChangeAsync(CancellationToken.None);

        firstChange.Dispose();
        var appends = await Task.WhenAll(held);

        Assert.False(secondChange.IsCompleted);
        foreach (var append in appends)
            append.Dispose();
        (await secondChange).Dispose();
    }

    [Fact]
    public async Task A_waiting_change_given_up_lets_the_appends_it_held_back_in()
    {
        using var gate = new TrustChangeGate();
        var inside = await gate.AppendAsync(CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var change = gate.ChangeAsync(giveUp.Token);
        var held = gate.AppendAsync(CancellationToken.None);
        Assert.False(held.IsCompleted);

        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => change);
        (await held).Dispose();
        inside.Dispose();
        (await gate.ChangeAsync(CancellationToken.None)).Dispose();
    }

    [Fact]
    public async Task Leaving_twice_counts_once()
    {
        using var gate = new TrustChangeGate();
        var first = await gate.AppendAsync(CancellationToken.None);
        var second = await gate.AppendAsync(CancellationToken.None);
        var change = gate.ChangeAsync(CancellationToken.None);

        first.Dispose();
        first.Dispose();

        Assert.False(change.IsCompleted);
        second.Dispose();
        (await change).Dispose();
    }
}
