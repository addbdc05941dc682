namespace Rollproof.Transparency;

/// <summary>
/// Maps leaf hashes to the index they were first logged at, so a duplicate append gets its first index back
/// (as Tessera's antispam). It is derived from the log and may run ahead of the checkpoint after a crash: the writer
/// ignores answers at or beyond its size, and catches the index up from the log when it opens.
/// </summary>
public interface IDedupIndex : IDisposable
{
    /// <summary>The log size whose entries are all indexed.</summary>
    long IndexedSize { get; }

    long? Find(ReadOnlySpan<byte> leafHash);

    /// <summary>Records new entries (replacing any stale answer) and the size they bring the index to, atomically.</summary>
    void Add(IReadOnlyList<(byte[] LeafHash, long Index)> entries, long indexedSize);

    /// <summary>Forgets every answer at or beyond <paramref name="size"/>: entries a crash kept out of the log.</summary>
    void Truncate(long size);
}
