namespace Rollproof.Sigstore.Verification;

/// <summary>
/// A transparency-log entry that matched the bundle's content and whose inclusion (proof against a signed
/// checkpoint, or a signed entry timestamp) verified with a trusted log's key. <see cref="IntegratedTime"/> is set
/// only when a signed entry timestamp vouches for it (Rekor v1); Rekor v2 entries carry no time.
/// </summary>
public sealed record VerifiedTlogEntry(string Kind, string Version, long LogIndex, byte[] LogId, DateTimeOffset? IntegratedTime);
