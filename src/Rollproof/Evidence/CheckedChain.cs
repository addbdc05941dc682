using Rollproof.Formats;
using Rollproof.Rollbacks;
using Rollproof.Transparency;

namespace Rollproof.Evidence;

/// <summary>A statement of a package whose receipt, timestamp and signature verified: signed by the key <paramref name="SignedBy"/> (its ID), which the trust file names <paramref name="Signer"/>.</summary>
public sealed record CheckedEntry(EvidenceEntry Entry, InTotoStatement Statement, string SignedBy, string Signer, DateTimeOffset LoggedAt)
{
    public string Digest => Storage.Sha256Digest.Of(Entry.Envelope).ToString();
}

/// <summary>
/// An entry of the package's log range that is in the log (its receipt and timestamp verified) but is not part of the
/// chain: about something else, or not signed by a key trusted for its kind. It shows nothing about the request was
/// left out; <paramref name="Why"/> says why it does not count. <paramref name="LoggedAt"/> is null for an entry the
/// log holds no timestamp for, which can only be one signed by no trusted key (or no statement at all).
/// </summary>
public sealed record SetAsideEntry(long Index, string Kind, DateTimeOffset? LoggedAt, string Why);

/// <summary>
/// The policy's decision re-derived at a time: at an execution's logged time (<paramref name="Execution"/> its index),
/// or at its run's start's (<paramref name="Start"/> that start's index, when the run's approval lapsed before it ended),
/// or as of the package's last entry.
/// </summary>
public sealed record PolicyJudgement(long? Execution, DateTimeOffset At, Rollbacks.Policy.PolicyDecision Decision, long? Start = null);

/// <summary>
/// A package whose every entry verified, whose log range from <paramref name="First"/> to the checkpoint's last entry
/// is complete, whose statements about the request form one rollback's chain, and whose executions the policy allowed.
/// </summary>
public sealed record CheckedChain(
    string Origin,
    Checkpoint Checkpoint,
    long First,
    CheckedEntry Request,
    RollbackRequestPredicate Predicate,
    IReadOnlyList<CheckedEntry> Entries,
    IReadOnlyList<SetAsideEntry> SetAside,
    IReadOnlyList<PolicyJudgement> Decisions,
    IReadOnlyDictionary<string, byte[]> Blobs)
{
    /// <summary>The statements that show a side an earlier rollback put in place: its completed execution, the request it completed and that request's policy (when not this one's).</summary>
    public IReadOnlyList<CheckedEntry> Placed { get; init; } = [];

    /// <summary>The policy's decision on each runbook amendment's approvals (by the amendment's log index) as of the package's last entry (<see cref="EvidenceAmendments"/>).</summary>
    public IReadOnlyDictionary<long, Rollbacks.Policy.PolicyDecision> AmendmentDecisions { get; init; } = new Dictionary<long, Rollbacks.Policy.PolicyDecision>();
}
