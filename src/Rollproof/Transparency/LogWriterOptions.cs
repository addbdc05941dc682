namespace Rollproof.Transparency;

/// <summary>How the sequencer groups appends into batches; each batch ends with one signed checkpoint.</summary>
public sealed record LogWriterOptions
{
    /// <summary>The most entries integrated under one checkpoint.</summary>
    public int MaxBatchSize { get; init; } = 8192;

    /// <summary>
    /// How long the first entry of a batch waits for others to join it. Zero integrates as soon as the queue is empty
    /// (group commit): under load, entries arriving during one integration form the next batch.
    /// </summary>
    public TimeSpan MaxBatchAge { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Called on the sequencer with each checkpoint once it is durably published, before its appends are answered and
    /// before <see cref="LogWriter.LatestCheckpoint"/> serves it; returns the note that replaces it: the same text with
    /// more signature lines, such as witnesses' cosignatures (<see cref="Witnessing.CosignatureGatherer.Hook"/>).
    /// It must not throw.
    /// </summary>
    public Func<byte[], Task<byte[]>>? Cosign { get; init; }
}
