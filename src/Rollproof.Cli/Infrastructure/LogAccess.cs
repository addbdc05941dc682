using Rollproof.Common;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Cli.Infrastructure;

/// <summary>Opens a log directory and its verified checkpoint for the read-only commands.</summary>
internal static class LogAccess
{
    public static Result<(LogDirectory Log, VerifiedCheckpoint Checkpoint)> OpenVerified(string dir)
    {
        var log = LogDirectory.Open(dir);
        if (!log.IsOk)
            return log.Problem;
        var checkpoint = log.Value.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        return Result<(LogDirectory, VerifiedCheckpoint)>.Ok((log.Value, checkpoint.Value));
    }

    /// <summary>Reads a file given on the command line, refusing anything larger than <paramref name="limit"/>.</summary>
    public static Result<byte[]> ReadInput(string path, long limit, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            return Result<byte[]>.Fail(ErrorCodes.InputMissing, $"{what} '{path}' does not exist");
        if (info.Length > limit)
            return Result<byte[]>.Fail(ErrorCodes.InputTooLarge, $"{what} '{path}' is {info.Length} bytes, more than the {limit}-byte limit");
        try
        {
            return ReadAtMost(info, limit) is { } bytes
                ? Result<byte[]>.Ok(bytes)
                : Result<byte[]>.Fail(ErrorCodes.InputTooLarge, $"{what} '{path}' is more than the {limit}-byte limit");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Result<byte[]>.Fail(ErrorCodes.InputMissing, $"{what} '{path}' cannot be read: {e.Message}");
        }
    }

    // A file's length can say less than it holds (a device, a pipe, a file still being written): read one byte past
    // the limit at most, and null if that byte is there.
    private static byte[]? ReadAtMost(FileInfo info, long limit)
    {
        using var file = info.OpenRead();
        using var read = new MemoryStream();
        var buffer = new byte[81920];
        int count;
        while ((count = file.Read(buffer, 0, (int)Math.Min(buffer.Length, limit + 1 - read.Length))) > 0)
        {
            read.Write(buffer, 0, count);
            if (read.Length > limit)
                return null;
        }
        return read.ToArray();
    }

    /// <summary>Reads and parses a tlog-policy file named on the command line; errors name the file and line.</summary>
    public static Result<TlogPolicy> LoadPolicy(string path)
    {
        var bytes = ReadInput(path, TlogPolicy.MaxSize, "policy file");
        if (!bytes.IsOk)
            return bytes.Problem;
        var parsed = TlogPolicy.Parse(bytes.Value);
        return parsed.IsOk ? parsed : parsed.Problem with { Message = $"{path}: {parsed.Problem.Message}" };
    }
}
