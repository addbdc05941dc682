namespace Rollproof.Common;

/// <summary>
/// The log's signed timestamps count whole seconds. A trust window that starts "now" starts at the whole second,
/// so that a statement logged in that same second falls inside it rather than a fraction before it.
/// </summary>
public static class LogSeconds
{
    public static DateTimeOffset Floor(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
}
