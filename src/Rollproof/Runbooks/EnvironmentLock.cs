using Rollproof.Common;

namespace Rollproof.Runbooks;

/// <summary>
/// One rollback per environment at a time: a lock file naming the execution that holds it. It survives a crash on
/// purpose; the same execution takes it back on resume, and only a logged override (or that execution finishing)
/// releases it for another.
/// </summary>
public sealed class EnvironmentLock(string directory, string environment)
{
    public string Path { get; } = System.IO.Path.Combine(directory, environment + ".lock");

    /// <summary>Takes the lock for <paramref name="execution"/>, or confirms it already holds it.</summary>
    public Problem? Acquire(string execution)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        try
        {
            using var file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write);
            file.Write(System.Text.Encoding.UTF8.GetBytes(execution));
            file.Flush(flushToDisk: true);
            return null;
        }
        catch (IOException) when (File.Exists(Path))
        {
            var holder = Holder();
            return holder == execution ? null : new Problem(ErrorCodes.EnvironmentLocked, $"{environment} is locked by execution {holder} ({Path}); resume it, or override the lock with a logged reason");
        }
    }

    public string? Holder() => File.Exists(Path) ? File.ReadAllText(Path).Trim() : null;

    public void Release(string execution)
    {
        if (Holder() == execution)
            File.Delete(Path);
    }
}
