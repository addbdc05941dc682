using Rollproof.Signing;

namespace Rollproof.Cli.Commands.Ledger;

/// <summary>How <c>trust init</c> and <c>trust show</c> print a trusted key: as JSON for scripts, or one line for people.</summary>
internal sealed record TrustedKeyView(string Name, string KeyId, IReadOnlyList<string> Kinds, DateTimeOffset ValidFrom, DateTimeOffset? ValidUntil, DateTimeOffset? RevokedAt, long? AddedAt)
{
    public static TrustedKeyView Of(TrustedKey key) =>
        new(key.Name, key.Key.KeyId, [.. key.Kinds.Order(StringComparer.Ordinal)], key.ValidFrom, key.ValidUntil, key.RevokedAt, key.AddedAt);

    public string Line() =>
        $"{Name}  {KeyId}  {string.Join(", ", Kinds)}  valid from {ValidFrom:O}"
        + (ValidUntil is { } until ? $" until {until:O}" : "")
        + (RevokedAt is { } revoked ? $", revoked at {revoked:O}" : "")
        + (AddedAt is { } added ? $", added at log index {added}" : "");
}
