namespace Rollproof.Common;

/// <summary>
/// The one way a file from outside is read: a policy, runbook, entry, envelope, SBOM, key, passphrase, trust file,
/// feed, migration script or evidence package given on the command line, and the files of a store that anyone with
/// write access to it could replace. Only a regular file (or a link to one) is opened: a device such as
/// <c>/dev/zero</c> never ends and a FIFO blocks even to open, and a file's length says nothing about either. What is
/// read is bounded: at most one byte past the limit, so a file growing while it is read cannot exhaust memory.
/// </summary>
public static class InputFile
{
    /// <summary>The whole of <paramref name="path"/>, refused when it is not a regular file or holds more than <paramref name="limit"/> bytes.</summary>
    public static Result<byte[]> Read(string path, long limit, string what)
    {
        var opened = Open(path, what);
        if (!opened.IsOk)
            return opened.Problem;
        try
        {
            using var file = opened.Value;
            if (file.Length > limit)
                return Result<byte[]>.Fail(ErrorCodes.InputTooLarge, $"{what} '{path}' is {file.Length} bytes, more than the {limit}-byte limit");
            // Still bounded while reading: the file may grow after its length was taken.
            return ReadAtMost(file, limit) is { } bytes
                ? Result<byte[]>.Ok(bytes)
                : Result<byte[]>.Fail(ErrorCodes.InputTooLarge, $"{what} '{path}' is more than the {limit}-byte limit");
        }
        catch (IOException e)
        {
            return Result<byte[]>.Fail(ErrorCodes.InputMissing, $"{what} '{path}' cannot be read: {e.Message}");
        }
    }

    /// <summary><paramref name="path"/> opened for reading once it is known to be a regular file, for a reader that streams it with its own bound.</summary>
    public static Result<FileStream> Open(string path, string what)
    {
        var kind = FileKind.Of(path);
        if (kind == PathKind.Missing)
            return Result<FileStream>.Fail(ErrorCodes.InputMissing, $"{what} '{path}' does not exist");
        if (kind is PathKind.Directory or PathKind.Special)
            return Result<FileStream>.Fail(ErrorCodes.InputNotRegularFile, $"{what} '{path}' is not a regular file (it is {(kind == PathKind.Directory ? "a directory" : "a device, FIFO or socket")}); only a file can be read");
        try
        {
            return Result<FileStream>.Ok(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result<FileStream>.Fail(ErrorCodes.InputMissing, $"{what} '{path}' cannot be read: {e.Message}");
        }
    }

    private static byte[]? ReadAtMost(Stream file, long limit)
    {
        using var read = new MemoryStream();
        var buffer = new byte[1 << 16];
        int count;
        while ((count = file.Read(buffer, 0, (int)Math.Min(buffer.Length, limit + 1 - read.Length))) > 0)
        {
            read.Write(buffer, 0, count);
            if (read.Length > limit)
                return null;
        }
        return read.ToArray();
    }
}
