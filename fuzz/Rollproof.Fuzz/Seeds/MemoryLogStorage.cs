using Rollproof.Transparency;

namespace Rollproof.Fuzz.Seeds;

/// <summary>A log's resources in memory: the fuzzer writes a sample log here and audits logs with one resource mutated.</summary>
internal sealed class MemoryLogStorage(IDictionary<string, byte[]>? resources = null) : ILogStorage
{
    public Dictionary<string, byte[]> Resources { get; } = new(resources ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);

    public byte[]? Read(string path) => Resources.GetValueOrDefault(path);

    public void Write(string path, ReadOnlySpan<byte> data) => Resources[path] = data.ToArray();

    public void Sync()
    {
    }

    public void ReplaceCheckpoint(ReadOnlySpan<byte> signedCheckpoint) => Resources[TilePath.Checkpoint] = signedCheckpoint.ToArray();
}
