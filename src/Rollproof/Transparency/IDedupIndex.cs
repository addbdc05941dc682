namespace Rollproof.Transparency;

/// <summary>
/// Maps leaf hashes to the index they were first logged at, so a duplicate append gets its first index back
/// (as Tessera's antispam). It is keyed by a 64-bit prefix of the leaf hash; the writer confirms every hit against
/// the logged entry, so a prefix collision can only cost a missed dedup, never a wrong index. The index is derived
/// from the log: it may run ahead of the checkpoint after a crash (the writer truncates it on open) or behind it
/// (the writer catches it up from the entry bundles).
/// </summary>
public interface IDedupIndex : IDisposable
{
    /// <summary>The log size whose entries are all indexed.</summary>
    long IndexedSize { get; }

    /// <summary>Records <paramref name="leafHash"/> at <paramref name="index"/>, or returns the index already recorded under its key.</summary>
    long? Claim(ReadOnlySpan<byte> leafHash, long index);

    /// <summary>Makes the claims since the last commit durable, with the log size they bring the index to.</summary>
    void Commit(long indexedSize);

    /// <summary>Forgets every record at or beyond <paramref name="size"/>: entries a crash kept out of the log.</summary>
    void Truncate(long size);
}
