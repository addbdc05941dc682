using Rollproof.Common;
using Rollproof.Releases;
using Rollproof.Releases.Sbom;

namespace Rollproof.Rollbacks.Risk;

/// <summary>One side of a rollback: the release's predicate and its SBOM's bytes (a validated CycloneDX or SPDX document), if it has one.</summary>
public sealed record ReleaseSide(ReleasePredicate Predicate, byte[]? SbomJson)
{
    /// <summary>
    /// The side of the release logged at <paramref name="logIndex"/>, once its SBOM is known to be a valid CycloneDX or
    /// SPDX document: the release's signer vouches for the digest, and the digest may name any blob of the store.
    /// </summary>
    public static Result<ReleaseSide> Of(ReleasePredicate predicate, byte[]? sbom, long logIndex)
    {
        if (sbom is not null && SbomValidator.Validate(sbom) is { IsOk: false } invalid)
            return invalid.Problem with { Message = $"the SBOM of {predicate.App} {predicate.Version} (log entry {logIndex}) is no valid SBOM: {invalid.Problem.Message}" };
        return Result<ReleaseSide>.Ok(new ReleaseSide(predicate, sbom));
    }
}

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
