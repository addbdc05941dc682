namespace Rollproof.Sigstore.Verification;

/// <summary>
/// Who signed a bundle's content, as the bundle presents it: the leaf certificate (DER) or a public key
/// (SubjectPublicKeyInfo DER, from <c>--key</c>). Exactly one is set. A transparency-log entry must name the same one.
/// </summary>
public sealed record SignerMaterial(byte[]? CertificateDer, byte[]? PublicKeySpki);

/// <summary>
/// A bundle's content once its signature has verified against <see cref="SignerMaterial"/>: what a transparency-log
/// entry's body must match, and what an RFC 3161 timestamp must cover (<see cref="Signature"/>).
/// </summary>
public abstract record SignedContent(SignerMaterial Signer, byte[] Signature);

/// <summary><c>messageSignature</c>: a signature over the artifact, known by its SHA-256 digest.</summary>
public sealed record MessageSignatureContent(SignerMaterial Signer, byte[] Signature, byte[] ArtifactSha256)
    : SignedContent(Signer, Signature);

/// <summary>
/// <c>dsseEnvelope</c> with exactly one signature. <see cref="EnvelopeJson"/> is the envelope as the bundle holds it,
/// for entry kinds that hash the whole envelope.
/// </summary>
public sealed record DsseContent(SignerMaterial Signer, byte[] Signature, string PayloadType, byte[] Payload, string KeyId, byte[] EnvelopeJson)
    : SignedContent(Signer, Signature);
