using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// A writer's durable, append-only record of the checkpoints it signs and publishes, kept apart from the checkpoint
/// and tiles it describes, so that restoring them from an older copy cannot rewind the log unnoticed.
/// </summary>
public interface ICheckpointRecord
{
    /// <summary>
    /// What the record says now. Readers call it before reading the checkpoint, so that a writer publishing meanwhile
    /// can only make the checkpoint newer than what they read here, never older.
    /// </summary>
    Result<RecordedCheckpoints> Read();

    /// <summary>
    /// Brings the record up to <paramref name="current"/>, the checkpoint a writer opened after checking it against
    /// <paramref name="read"/>: cuts a line torn by a crash, and records the checkpoint if the record is behind.
    /// </summary>
    Problem? Adopt(RecordedCheckpoints read, byte[] signedCheckpoint, Checkpoint current);

    /// <summary>Durably records a checkpoint about to be published: it returns only once the record is on disk.</summary>
    void Signing(byte[] signedCheckpoint);

    /// <summary>Records that the checkpoint last signed is published.</summary>
    void Published(Checkpoint checkpoint);
}
