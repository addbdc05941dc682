using Rollproof.Signing;

namespace Rollproof.Trust;

/// <summary>The trust a log establishes, and the key changes in it that did not count, each with why.</summary>
public sealed record DerivedTrust(TrustFile Trust, IReadOnlyList<string> SetAside);
