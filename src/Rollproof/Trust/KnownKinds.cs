namespace Rollproof.Trust;

/// <summary>
/// Every kind of statement a trust can let a key sign, and <see cref="Checkpoint"/>, the log's own key. A key is
/// granted exactly the kinds it needs; there is no wildcard, and a kind not listed here is refused.
/// </summary>
public static class KnownKinds
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
    public const string RollbackAmendment = "rollback-amendment";
    public const string Checkpoint = Signing.LogPublicKeys.Kind;

    public static IReadOnlyList<string> All { get; } = [Release, Deployment, RollbackRequest, Approval, Policy, Review, Execution, Report, Notification, KeyChange, LockOverride, RollbackAmendment, Checkpoint];

    public static bool Contains(string kind) => All.Contains(kind, StringComparer.Ordinal);
}
