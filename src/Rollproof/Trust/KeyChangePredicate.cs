namespace Rollproof.Trust;

/// <summary>
/// A change to the store's trust, as a logged statement: a key <c>add</c>ed (with its kinds and window) or
/// <c>revoke</c>d, so the trust history is in the log with everything else and signed by the admin who changed it.
/// </summary>
public sealed record KeyChangePredicate(string Action, string Name, string PublicKey, IReadOnlyList<string> Kinds, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil, DateTimeOffset? RevokedAt)
{
    public const string Add = "add";
    public const string Revoke = "revoke";

    /// <summary>Its kind: what the trust lets a key sign to change the trust.</summary>
    public const string Kind = KnownKinds.KeyChange;
}
