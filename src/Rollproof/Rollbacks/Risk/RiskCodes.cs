namespace Rollproof.Rollbacks.Risk;

/// <summary>The stable codes of risk findings; docs/risk-findings.md explains each.</summary>
public static class RiskCodes
{
    public const string SbomMissing = "sbom.missing";
    public const string ComponentDowngraded = "sbom.component-downgraded";
    public const string ComponentRemoved = "sbom.component-removed";
    public const string ComponentAdded = "sbom.component-added";
    public const string ComponentChanged = "sbom.component-changed";
    public const string VulnerabilityReintroduced = "vulnerability.reintroduced";
    public const string VulnerabilityStillPresent = "vulnerability.still-present";
    public const string VulnerabilityPresentInTarget = "vulnerability.present-in-target";
    public const string WeakerAlgorithm = "crypto.weaker-algorithm";
    public const string ShorterKey = "crypto.shorter-key";
    public const string SignatureAlgorithmChanged = "crypto.signature-algorithm-changed";
    public const string CertificateExpired = "crypto.certificate-expired";
    public const string CertificateRevoked = "crypto.certificate-revoked";
    public const string RouteAdded = "authorization.route-added";
    public const string RoleAdded = "authorization.role-added";
    public const string ScopeAdded = "authorization.scope-added";
    public const string MigrationIrreversible = "migration.irreversible";
    public const string MigrationDownMissing = "migration.down-missing";
    public const string VerificationFailed = "integrity.verification-failed";
    public const string SignerKeyRevoked = "integrity.signer-key-revoked";
    public const string SignerKeyRotated = "integrity.signer-key-rotated";
}
