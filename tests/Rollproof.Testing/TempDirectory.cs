namespace Rollproof.Testing;

/// <summary>
/// A fresh directory under the system temp folder. Disposing it stops every process still working in it or naming it
/// (<see cref="ProcessesUnder"/>: an environment's slots, a router, a server, a killed command line's children), then
/// deletes it.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rollproof-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        ProcessesUnder.Stop(Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file may still be held open; the OS cleans temp eventually.
        }
    }
}
