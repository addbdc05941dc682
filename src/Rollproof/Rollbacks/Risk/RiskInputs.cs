using Rollproof.Common;
using Rollproof.Releases;

namespace Rollproof.Rollbacks.Risk;

/// <summary>One side of a rollback: the release's predicate and its SBOM's bytes (a validated CycloneDX document), if it has one.</summary>
public sealed record ReleaseSide(ReleasePredicate Predicate, byte[]? SbomJson);

/// <summary>The state of the key that signed the target, as of now: still valid, rotated out since (fine), or revoked.</summary>
public enum KeyStatus
{
    Valid,
    Rotated,
    Revoked,
}

/// <summary>What verifying the target found: null <paramref name="Verification"/> when its signature, log entry and files all check out.</summary>
public sealed record TargetIntegrity(Problem? Verification, KeyStatus SignerKeyNow, string? Signer);

/// <summary>Everything the analysis reads. <paramref name="BlobExists"/> says whether a digest is in the artifact store.</summary>
public sealed record RiskInputs(ReleaseSide Current, ReleaseSide Target, VulnerabilityFeed Feed, TargetIntegrity Integrity, Func<string, bool> BlobExists, DateTimeOffset Now);
