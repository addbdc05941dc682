using System.IO.Compression;
using Rollproof.Common;

namespace Rollproof.Evidence;

/// <summary>
/// Zip archives of named files, written the same way every time (ordinal order, a fixed timestamp, no directory
/// entries) and read with limits: a package comes from outside, and is read into memory, never extracted to disk.
/// </summary>
public static class ZipFiles
{
    public const int MaxFiles = 10_000;
    public const long MaxFileSize = 64L << 20;
    public const long MaxTotalSize = 1L << 30;

    private static readonly DateTimeOffset Epoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // A package starts with its first file's local header, or is empty (the end of central directory alone). Bytes
    // before it (a self-extracting stub, or data meant to be read by a tool that scans for the header) are refused:
    // two readers could disagree on where the archive starts.
    private static readonly byte[][] Starts = ["PK\u0003\u0004"u8.ToArray(), "PK\u0005\u0006"u8.ToArray()];

    private const int UnixTypeMask = 0xF000;
    private const int UnixRegularFile = 0x8000;

    public static void Write(Stream output, IEnumerable<KeyValuePair<string, byte[]>> files)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (path, bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
            entry.LastWriteTime = Epoch;
            using var stream = entry.Open();
            stream.Write(bytes);
        }
    }

    public static Result<SortedDictionary<string, byte[]>> Read(Stream input, string name)
    {
        var start = new byte[4];
        if (input.ReadAtLeast(start, start.Length, throwOnEndOfStream: false) < start.Length || !Starts.Any(s => s.AsSpan().SequenceEqual(start)))
            return Fail($"{name} is not a zip archive that starts at its first byte (a package has nothing before its first file)");
        input.Seek(-start.Length, SeekOrigin.Current);
        ZipArchive? zip = null;
        IReadOnlyList<ZipArchiveEntry> entries;
        try
        {
            zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true);
            // The central directory is read on first use of Entries: a damaged one throws here, not in the constructor.
            entries = zip.Entries;
        }
        catch (InvalidDataException e)
        {
            zip?.Dispose();
            return Fail($"{name} is not a zip archive: {e.Message}");
        }
        using (zip)
        {
            if (entries.Count > MaxFiles)
                return Fail($"{name} holds {entries.Count} files, more than {MaxFiles}");
            var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var entry in entries)
            {
                var path = entry.FullName;
                if (path.Length == 0 || path.EndsWith('/') || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || path.Split('/').Any(p => p is "" or "." or ".."))
                    return Fail($"{name}: '{path}' is not a file name a package holds");
                // Unix archivers keep the file's mode in the high half of the external attributes: a symbolic link (or
                // a device) there would be made by whoever extracts the package with unzip.
                var type = (entry.ExternalAttributes >> 16) & UnixTypeMask;
                if (type is not (0 or UnixRegularFile))
                    return Fail($"{name}: '{path}' is {(type == 0xA000 ? "a symbolic link" : "not a regular file")}; a package holds only files");
                if (entry.Length > MaxFileSize || (total += entry.Length) > MaxTotalSize)
                    return Fail($"{name}: '{path}' makes the package larger than its limits ({MaxFileSize} bytes a file, {MaxTotalSize} in all)");
                var bytes = new byte[entry.Length];
                try
                {
                    using var stream = entry.Open();
                    stream.ReadExactly(bytes);
                    if (stream.ReadByte() != -1)
                        return Fail($"{name}: '{path}' is longer than its header says");
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
                {
                    return Fail($"{name}: '{path}' cannot be read: {e.Message}");
                }
                if (!files.TryAdd(path, bytes))
                    return Fail($"{name}: '{path}' appears twice");
            }
            return Result<SortedDictionary<string, byte[]>>.Ok(files);
        }
    }

    private static Result<SortedDictionary<string, byte[]>> Fail(string message) => Result<SortedDictionary<string, byte[]>>.Fail(ErrorCodes.EvidenceInvalid, message);
}
