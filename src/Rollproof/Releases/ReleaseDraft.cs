using Rollproof.Releases.Provenance;
using Rollproof.Transparency;

namespace Rollproof.Releases;

/// <summary>What a publisher hands in: files on disk, read and stored by <see cref="ReleaseStore.PublishAsync"/>.</summary>
public sealed record ReleaseDraft(
    string App,
    string Version,
    IReadOnlyList<string> ArtifactFiles,
    string? SbomFile,
    ProvenanceSource? Provenance,
    string? MigrationsDirectory,
    string? RollbackScriptFile,
    SecuritySurface? SecuritySurface,
    string? ConfigDigest,
    IReadOnlyList<ResolvedImage>? Images = null,
    CosignBundleDraft? CosignBundles = null);

/// <summary>A container image for a release, as fetched from its registry at publish: its name in the release, reference and manifest.</summary>
public sealed record ResolvedImage(string Name, Storage.ImageReference Reference, Storage.ImageManifest Manifest);

/// <summary>
/// The outcome of a publish: the record, its receipt, the key ID that signed the logged envelope, and the Sigstore
/// bundle when one was asked for.
/// </summary>
public sealed record PublishedRelease(ReleaseRecord Record, TlogProof Receipt, string? SignedBy, byte[]? SigstoreBundle, Signing.TrustedKey? TrustedOnFirstUse = null);

/// <summary>
/// Where a published release is: the digest of its envelope in the artifact store, its log index and the log's signed
/// promise of when it was logged (the time its signer's key is judged at), and the digest of its Sigstore bundle if
/// one was made. <see cref="PublishedAt"/> is the publisher's own clock, for display only.
/// </summary>
public sealed record ReleaseRecord(
    string App,
    string Version,
    string EnvelopeDigest,
    long? LogIndex,
    DateTimeOffset PublishedAt,
    SignedEntryTimestamp? Logged = null,
    string? SigstoreBundleDigest = null);
