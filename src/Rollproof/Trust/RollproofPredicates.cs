namespace Rollproof.Trust;

/// <summary>
/// How a Rollproof predicate type names its kind (<c>https://rollproof.dev/attestation/KIND/v1</c>), the kind being
/// what the trust grants a key the right to sign. It lives here so that judging a statement needs nothing above
/// this folder.
/// </summary>
public static class RollproofPredicates
{
    private const string Prefix = "https://rollproof.dev/attestation/";

    public static string PredicateType(string kind) => $"{Prefix}{kind}/v1";

    /// <summary>The kind a predicate type belongs to, or null for predicates that are not Rollproof's.</summary>
    public static string? KindOf(string predicateType) =>
        predicateType.StartsWith(Prefix, StringComparison.Ordinal) && predicateType.EndsWith("/v1", StringComparison.Ordinal) && predicateType.Length > Prefix.Length + 3
            ? predicateType[Prefix.Length..^3]
            : null;
}
