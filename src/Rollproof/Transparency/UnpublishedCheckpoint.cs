using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency;

/// <summary>
/// A checkpoint the writer signed and made durable for its witnesses but has not published: its quorum of
/// cosignatures is missing, or the writer stopped before publishing it. Witnesses may have cosigned it, so a
/// restarted writer resumes from it rather than from the published checkpoint, and never signs another tree of its
/// size.
/// </summary>
internal sealed record UnpublishedCheckpoint(Checkpoint Tree, byte[] Note)
{
    /// <summary>Beside the checkpoint, outside the tlog-tiles paths, so it is never served.</summary>
    public const string Path = "checkpoint.unpublished";

    /// <summary>The one to resume from, with the tiles' right edge at its size; none when it is not beyond <paramref name="published"/>.</summary>
    public static Result<(UnpublishedCheckpoint Checkpoint, RightEdge Edge)?> Read(ILogStorage storage, INoteVerifier logKey, Checkpoint published)
    {
        var note = storage.Read(Path);
        if (note is null)
            return Result<(UnpublishedCheckpoint, RightEdge)?>.Ok(null);
        var opened = Checkpoint.Open(note, logKey);
        if (!opened.IsOk)
            return new Problem(opened.Problem.Code, $"the unpublished checkpoint '{Path}' does not verify with this log's key: {opened.Problem.Message}");
        var tree = opened.Value.Checkpoint;
        // One at or below the published size was published since, or rewound past on purpose (log repair).
        if (tree.Size <= published.Size)
            return Result<(UnpublishedCheckpoint, RightEdge)?>.Ok(null);
        var edge = RightEdge.Load(storage, tree.Size);
        if (!edge.IsOk)
            return edge.Problem;
        return edge.Value.Root().AsSpan().SequenceEqual(tree.RootHash)
            ? Result<(UnpublishedCheckpoint, RightEdge)?>.Ok((new UnpublishedCheckpoint(tree, note), edge.Value))
            : Result<(UnpublishedCheckpoint, RightEdge)?>.Fail(ErrorCodes.RootMismatch, $"the tiles do not hash to the root of the unpublished checkpoint '{Path}' at size {tree.Size}, which witnesses may have cosigned");
    }
}
