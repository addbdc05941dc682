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

    /// <summary>The policy <c>--tlog-policy</c> names, or null when it is not given.</summary>
    public static Result<TlogPolicy?> LoadOptionalPolicy(string? path)
    {
        if (path is null)
            return Result<TlogPolicy?>.Ok(null);
        var policy = LoadPolicy(path);
        return policy.IsOk ? Result<TlogPolicy?>.Ok(policy.Value) : policy.Problem;
    }

    /// <summary>Reads and parses a tlog-policy file named on the command line; errors name the file and line.</summary>
    public static Result<TlogPolicy> LoadPolicy(string path)
    {
        var bytes = InputFile.Read(path, TlogPolicy.MaxSize, "policy file");
        if (!bytes.IsOk)
            return bytes.Problem;
        var parsed = TlogPolicy.Parse(bytes.Value);
        return parsed.IsOk ? parsed : parsed.Problem with { Message = $"{path}: {parsed.Problem.Message}" };
    }
}
