using Rollproof.Transparency;

namespace Rollproof.Storage.Remote;

/// <summary>
/// A served log read through its local replica: full tiles and entry bundles the replica holds are immutable, so they
/// are read locally; everything else (the checkpoint, partial tiles, tiles not fetched yet) comes from the server and
/// is kept aside until <see cref="Commit"/>, which the replica calls only once all of it has been verified.
/// </summary>
internal sealed class MirroredLogStorage(FileSystemLogStorage local, ILogStorage remote) : ILogStorage
{
    private readonly Dictionary<string, byte[]> _fetched = new(StringComparer.Ordinal);

    public byte[]? Read(string path)
    {
        lock (_fetched)
        {
            if (_fetched.TryGetValue(path, out var kept))
                return kept;
        }
        if (path != TilePath.Checkpoint && !path.Contains(".p/", StringComparison.Ordinal) && local.Read(path) is { } full)
            return full;
        var fetched = remote.Read(path);
        if (fetched is not null && path != TilePath.Checkpoint)
        {
            lock (_fetched)
                _fetched[path] = fetched;
        }
        return fetched;
    }

    /// <summary>Writes what was fetched into the replica, durably; the checkpoint is the caller's to replace last.</summary>
    public void Commit()
    {
        foreach (var (path, bytes) in _fetched)
            local.Write(path, bytes);
        local.Sync();
    }

    public void Write(string path, ReadOnlySpan<byte> data) => throw new NotSupportedException("a served log's replica is written only by its sync");

    public void Sync() => throw new NotSupportedException("a served log's replica is written only by its sync");

    public void ReplaceCheckpoint(ReadOnlySpan<byte> signedCheckpoint) => throw new NotSupportedException("a served log's replica is written only by its sync");
}
