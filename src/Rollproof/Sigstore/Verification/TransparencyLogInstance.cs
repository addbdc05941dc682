namespace Rollproof.Sigstore.Verification;

/// <summary>
/// One transparency log or certificate-transparency log a trusted root names (<c>tlogs</c> and <c>ctlogs</c> share
/// this shape): its key as SubjectPublicKeyInfo with Sigstore's <c>keyDetails</c> name, the window in which that key
/// is trusted, its log ID (SHA-256 of the key for Rekor v1 and CT) and, for Rekor v2, the C2SP checkpoint key ID.
/// </summary>
public sealed record TransparencyLogInstance(
    string BaseUrl,
    string HashAlgorithm,
    byte[] PublicKeySpki,
    string KeyDetails,
    ValidityPeriod ValidFor,
    byte[] LogId,
    byte[]? CheckpointKeyId);
