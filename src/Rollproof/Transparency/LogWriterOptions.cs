using Rollproof.Common;

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
    /// Called on the sequencer with each checkpoint once its tiles and the checkpoint itself are durable (where a
    /// restarted writer resumes from) but before it is published: returns the note to publish in its place, the same
    /// text with more signature lines such as witnesses' cosignatures (<see cref="Witnessing.CosignatureGatherer.Hook"/>),
    /// or the problem why it must not be published yet. A withheld checkpoint stays unpublished, its appends fail
    /// with that problem, and the writer asks again after <see cref="CosignRetry"/> with a checkpoint covering every
    /// entry so far. It must not throw.
    /// </summary>
    public Func<byte[], Task<Result<byte[]>>>? Cosign { get; init; }

    /// <summary>How long the writer waits, when no append arrives, before asking <see cref="Cosign"/> again for a withheld checkpoint.</summary>
    public TimeSpan CosignRetry { get; init; } = TimeSpan.FromSeconds(5);
}
