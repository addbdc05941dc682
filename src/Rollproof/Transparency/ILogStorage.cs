namespace Rollproof.Transparency;

/// <summary>
/// Where a tiled log keeps its resources (checkpoint, tiles, entry bundles), addressed by their C2SP tlog-tiles paths.
/// Writes become durable only after <see cref="Sync"/>; the checkpoint is replaced atomically and durably.
/// </summary>
public interface ILogStorage
{
    /// <summary>The resource's bytes, or null when it does not exist.</summary>
    byte[]? Read(string path);

    /// <summary>Writes a tile or entry bundle; readers never see a partially written resource.</summary>
    void Write(string path, ReadOnlySpan<byte> data);

    /// <summary>Makes every resource written so far durable.</summary>
    void Sync();

    /// <summary>Durably and atomically replaces the checkpoint; a crash leaves the old one or the new one.</summary>
    void ReplaceCheckpoint(ReadOnlySpan<byte> signedCheckpoint);
}
