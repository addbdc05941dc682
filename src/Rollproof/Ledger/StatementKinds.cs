using Rollproof.Releases;

namespace Rollproof.Ledger;

/// <summary>
/// The kinds of fact the ledger records, each an in-toto statement with its own versioned predicate type; the kind
/// is also what the trust file grants a key the right to sign.
/// </summary>
public static class StatementKinds
{
    public const string Release = "release";
    public const string Deployment = "deployment";
    public const string RollbackRequest = "rollback-request";
    public const string Approval = "approval";
    public const string Policy = "policy";
    public const string Review = "review";
    public const string Execution = "execution";
    public const string Report = "report";
    public const string Notification = "notification";
    public const string KeyChange = "key-change";
    public const string LockOverride = "lock-override";

    private const string Prefix = "https://rollproof.dev/attestation/";

    public static string PredicateType(string kind) => kind == Release ? ReleasePredicate.PredicateType : $"{Prefix}{kind}/v1";

    /// <summary>The kind a predicate type belongs to, or null for predicates that are not Rollproof's.</summary>
    public static string? KindOf(string predicateType) =>
        predicateType.StartsWith(Prefix, StringComparison.Ordinal) && predicateType.EndsWith("/v1", StringComparison.Ordinal)
            ? predicateType[Prefix.Length..^3]
            : null;
}
