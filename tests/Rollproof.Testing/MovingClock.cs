namespace Rollproof.Testing;

/// <summary>A clock that stays where the test last set it: time passing during a long run, without waiting for it.</summary>
public sealed class MovingClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock guard = new();
    private DateTimeOffset now = start;

    /// <summary>Moves the clock; a run's observer may call it from the run's own thread.</summary>
    public void MoveTo(DateTimeOffset time)
    {
        lock (guard)
            now = time;
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (guard)
            return now;
    }
}
