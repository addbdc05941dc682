namespace Rollproof.Common;

/// <summary>A clock stopped at the time a question is asked about: an audit date (--at), or a statement's logged time.</summary>
public sealed class FixedTime(DateTimeOffset at) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => at;
}
