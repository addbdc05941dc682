using Rollproof.Transparency;

namespace Rollproof.Releases;

/// <summary>What a publisher hands in: files on disk, read and stored by <see cref="ReleaseStore.PublishAsync"/>.</summary>
public sealed record ReleaseDraft(
    string App,
    string Version,
    IReadOnlyList<string> ArtifactFiles,
    string? SbomFile,
    BuildProvenance? Provenance,
    string? MigrationsDirectory,
    string? RollbackScriptFile,
    SecuritySurface? SecuritySurface,
    string? ConfigDigest);

/// <summary>The outcome of a publish: the record, its receipt, and the key ID that signed the logged envelope.</summary>
public sealed record PublishedRelease(ReleaseRecord Record, TlogProof Receipt, string? SignedBy);

/// <summary>Where a published release is: its log index, and the digests of its envelope in the artifact store.</summary>
public sealed record ReleaseRecord(string App, string Version, string EnvelopeDigest, long? LogIndex, DateTimeOffset PublishedAt);
