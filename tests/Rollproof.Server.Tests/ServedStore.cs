using Rollproof.Releases;
using Rollproof.Testing;

namespace Rollproof.Server.Tests;

/// <summary>A fresh store in a temporary directory, with <paramref name="entries"/> extra entries in its log, to serve.</summary>
public sealed class ServedStore : IDisposable
{
    private readonly TempDirectory _dir = new();

    public ServedStore(int entries = 0)
    {
        Root = _dir.Combine("store");
        Store = ReleaseStore.Init(Root, "test.example/served").Value;
        if (entries == 0)
            return;
        var writer = Store.Log.OpenWriter().Value;
        Task.WhenAll(Enumerable.Range(0, entries).Select(i => writer.Writer.AppendAsync(System.Text.Encoding.UTF8.GetBytes($"entry {i}")))).GetAwaiter().GetResult();
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public string Root { get; }

    public ReleaseStore Store { get; }

    public string Combine(params string[] parts) => _dir.Combine(parts);

    public void Dispose() => _dir.Dispose();
}
