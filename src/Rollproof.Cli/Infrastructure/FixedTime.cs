namespace Rollproof.Cli.Infrastructure;

/// <summary>A clock stopped at the time a question is asked about (an audit date), for commands that take --at.</summary>
internal sealed class FixedTime(DateTimeOffset at) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => at;
}
