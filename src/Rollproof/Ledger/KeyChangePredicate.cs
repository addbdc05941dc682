namespace Rollproof.Ledger;

/// <summary>
/// A change to the store's trust file, as a logged statement: a key <c>add</c>ed (with its kinds and window) or
/// <c>revoke</c>d, so the trust history is in the log with everything else and signed by the admin who changed it.
/// </summary>
public sealed record KeyChangePredicate(string Action, string Name, string PublicKey, IReadOnlyList<string> Kinds, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil, DateTimeOffset? RevokedAt)
{
    public const string Add = "add";
    public const string Revoke = "revoke";
}
