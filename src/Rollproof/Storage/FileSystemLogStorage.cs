using Rollproof.Common;
using Rollproof.Transparency;

namespace Rollproof.Storage;

/// <summary>
/// A tiled log in a local directory, laid out exactly as its HTTP paths, so any static web server can serve it.
/// Each resource is written to a temporary name and renamed into place; <see cref="Sync"/> then fsyncs the files and
/// their directories in one pass, so a batch costs one round of fsyncs rather than one per write.
/// </summary>
public sealed class FileSystemLogStorage(string root) : ILogStorage
{
    private const string TempSuffix = ".tmp";

    /// <summary>The largest resource a tiled log has: a full bundle of 256 maximal entries.</summary>
    public const long MaxResourceSize = TilePath.TileWidth * (2L + EntryBundle.MaxEntrySize);
    private readonly HashSet<string> _unsyncedFiles = [];
    private readonly HashSet<string> _unsyncedDirectories = [];

    public string Root { get; } = Path.GetFullPath(root);

    public byte[]? Read(string path)
    {
        var full = FullPath(path);
        if (FileKind.Of(full) is PathKind.Directory or PathKind.Special)
            throw new ProblemException(new Problem(ErrorCodes.TileMalformed, $"{path} is not a regular file (a device, FIFO or directory stands in its place)"));
        try
        {
            using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (file.Length > MaxResourceSize)
                throw new ProblemException(new Problem(ErrorCodes.TileMalformed, $"{path} is {file.Length} bytes, larger than any tile or entry bundle can be"));
            var data = new byte[file.Length];
            file.ReadExactly(data);
            return data;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Write(string path, ReadOnlySpan<byte> data)
    {
        var full = FullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            CreateDirectories(directory);
        }
        var temp = full + TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            stream.Write(data);
        }
        File.Move(temp, full, overwrite: true);
        _unsyncedFiles.Add(full);
        _unsyncedDirectories.Add(directory);
    }

    public void Sync()
    {
        Parallel.ForEach(_unsyncedFiles, new ParallelOptions { MaxDegreeOfParallelism = 4 }, Posix.FsyncFile);
        foreach (var directory in _unsyncedDirectories.OrderByDescending(d => d.Length))
            Posix.FsyncDirectory(directory);
        _unsyncedFiles.Clear();
        _unsyncedDirectories.Clear();
    }

    public void ReplaceCheckpoint(ReadOnlySpan<byte> signedCheckpoint)
    {
        Directory.CreateDirectory(Root);
        DurableFile.Replace(FullPath(TilePath.Checkpoint), signedCheckpoint);
    }

    // New directories must themselves be made durable in their parents, up to the log root.
    private void CreateDirectories(string directory)
    {
        var created = new List<string>();
        for (var d = directory; d.Length >= Root.Length && !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
            created.Add(d);
        Directory.CreateDirectory(directory);
        foreach (var d in created)
            _unsyncedDirectories.Add(Path.GetDirectoryName(d)!);
    }

    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"path '{path}' escapes the log directory", nameof(path));
        return full;
    }
}
