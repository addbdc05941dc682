using System.Net;
using System.Net.Http;

namespace Rollproof.Storage.Remote;

/// <summary>
/// A submission the server asks to bring again later, with <c>Retry-After</c>: 503 while it withholds its checkpoint
/// for want of witness cosignatures (RP1410), 429 over its rate limit. The same envelope is sent again after the wait
/// (the server answers the same index for the same entry), at most <see cref="MaxTries"/> times within
/// <see cref="MaxTotalWait"/>; each wait is told on <see cref="Notices"/> (the command's stderr) so a pause is explained.
/// </summary>
public static class ServerWaits
{
    public const int MaxTries = 12;

    public static readonly TimeSpan MaxTotalWait = TimeSpan.FromSeconds(60);

    private static readonly AsyncLocal<TextWriter?> Current = new();

    /// <summary>Where a command line tells its user it waits: set once per command line, async-local as <see cref="ServerToken"/>.</summary>
    public static TextWriter? Notices
    {
        get => Current.Value;
        set => Current.Value = value;
    }

    /// <summary>How long to wait before try <paramref name="tries"/> + 1 and why, or null to give the answer back as it is.</summary>
    internal static (TimeSpan Wait, string Why)? Before(HttpResponseMessage response, int tries, TimeSpan waited, DateTimeOffset now)
    {
        if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests) || tries >= MaxTries)
            return null;
        TimeSpan? asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => null, // a 503 without Retry-After (the server cannot work out its trust) is no passing state
        };
        if (asked is not { } wait)
            return null;
        wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        if (waited + wait > MaxTotalWait)
            return null;
        var why = response.StatusCode == HttpStatusCode.ServiceUnavailable
            ? "the server withholds its checkpoint until its witnesses cosign"
            : "the server's rate limit is reached";
        return (wait, $"{why}: submitting again in {wait.TotalSeconds:0} s (try {tries + 1} of at most {MaxTries})");
    }
}
