using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// An append whose entry is durably at <see cref="Index"/> in the log's tiles but under no published checkpoint yet,
/// because the checkpoint that covers it was withheld (<see cref="LogWriterOptions.Cosign"/>, RP1410). The caller is
/// told to come back, never given an index it cannot prove; the entry keeps its index (a restarted writer resumes from
/// the checkpoint that holds it) and its signed timestamp, kept with the batch, so the same entry appended again gets
/// both once a checkpoint is published.
/// </summary>
public sealed class EntryWithheldException(Problem problem, long index) : Exception(problem.ToString())
{
    public Problem Problem { get; } = problem;

    public long Index { get; } = index;
}
