using Rollproof.Formats;
using Rollproof.Rollbacks;
using Rollproof.Transparency;

namespace Rollproof.Evidence;

/// <summary>A statement of a package whose receipt, timestamp and signature verified.</summary>
public sealed record CheckedEntry(EvidenceEntry Entry, InTotoStatement Statement, string SignedBy, DateTimeOffset LoggedAt)
{
    public string Digest => Storage.Sha256Digest.Of(Entry.Envelope).ToString();
}

/// <summary>A package whose every statement verified and whose statements form one rollback's chain.</summary>
public sealed record CheckedChain(string Origin, Checkpoint Checkpoint, CheckedEntry Request, RollbackRequestPredicate Predicate, IReadOnlyList<CheckedEntry> Entries, IReadOnlyDictionary<string, byte[]> Blobs);
