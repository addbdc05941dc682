namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A bundle that verified: its content and signer, the transparency-log entries that vouched for it, and the times at
/// which the signature is known to have existed (RFC 3161 timestamps and signed integrated times), every one of them
/// inside the signing certificate's validity when a certificate signed.
/// </summary>
public sealed record VerifiedBundle(
    string MediaType,
    SignedContent Content,
    IReadOnlyList<VerifiedTlogEntry> TlogEntries,
    IReadOnlyList<DateTimeOffset> VerifiedTimes,
    string? CertificateIdentity,
    string? CertificateIssuer);
