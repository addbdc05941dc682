using Rollproof.Transparency;

namespace Rollproof.Evidence;

/// <summary>
/// One logged statement in a package: its envelope (the log entry's bytes), its receipt against the package's
/// checkpoint, and the log's timestamp, if the log has one for it (an entry appended without one can only be set
/// aside: the one trust path fails a statement by a trusted key that has none).
/// </summary>
public sealed record EvidenceEntry(long Index, string Kind, byte[] Envelope, TlogProof Receipt, SignedEntryTimestamp? Timestamp);

/// <summary>
/// Everything an auditor needs to check a rollback offline: the log's checkpoint, every statement of the rollback's
/// chain with its receipt and timestamp, and the documents they refer to by digest (SBOMs, the risk assessment, test
/// results). Written as a zip by <see cref="EvidenceLayout"/>; every byte of it is determined by this content.
/// </summary>
public sealed record EvidencePackage(string Origin, byte[] Checkpoint, long Request, IReadOnlyList<EvidenceEntry> Entries, IReadOnlyDictionary<string, byte[]> Blobs);
