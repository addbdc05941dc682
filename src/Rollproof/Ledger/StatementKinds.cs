namespace Rollproof.Ledger;

/// <summary>
/// The kinds of fact the ledger records, each an in-toto statement with its own versioned predicate type; the kind
/// is also what the trust file grants a key the right to sign.
/// </summary>
public static class StatementKinds
{
    public const string Release = Trust.KnownKinds.Release;
    public const string Deployment = Trust.KnownKinds.Deployment;
    public const string RollbackRequest = Trust.KnownKinds.RollbackRequest;
    public const string Approval = Trust.KnownKinds.Approval;
    public const string Policy = Trust.KnownKinds.Policy;
    public const string Review = Trust.KnownKinds.Review;
    public const string Execution = Trust.KnownKinds.Execution;
    public const string Report = Trust.KnownKinds.Report;
    public const string Notification = Trust.KnownKinds.Notification;
    public const string KeyChange = Trust.KnownKinds.KeyChange;
    public const string LockOverride = Trust.KnownKinds.LockOverride;
    public const string RollbackAmendment = Trust.KnownKinds.RollbackAmendment;

    public static string PredicateType(string kind) => Trust.RollproofPredicates.PredicateType(kind);

    /// <summary>The kind a predicate type belongs to, or null for predicates that are not Rollproof's.</summary>
    public static string? KindOf(string predicateType) => Trust.RollproofPredicates.KindOf(predicateType);
}
