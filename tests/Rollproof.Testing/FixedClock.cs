namespace Rollproof.Testing;

/// <summary>A clock stopped at one instant, for rules that read the time.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
