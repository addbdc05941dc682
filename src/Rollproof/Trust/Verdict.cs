using Rollproof.Formats;
using Rollproof.Signing;

namespace Rollproof.Trust;

/// <summary>
/// How one log entry stands under a trust: its Rollproof kind (null for an entry that is not a Rollproof statement,
/// such as a Rekor body), the statement, the time the log's signed entry timestamp gives it, and either the trusted
/// key that may sign that kind for it (<see cref="Signer"/>) or why it is set aside (<see cref="SetAside"/>: signed by
/// no key the trust allowed for it, with or without a timestamp). A set-aside statement never counts and is
/// reported, never silently dropped.
/// </summary>
public sealed record Verdict(string? Kind, InTotoStatement? Statement, TrustedKey? Signer, DateTimeOffset? LoggedAt, string? SetAside)
{
    public bool Counts => Signer is not null;
}
