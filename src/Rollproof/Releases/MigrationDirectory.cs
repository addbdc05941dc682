using System.Text.RegularExpressions;
using Rollproof.Common;
using Rollproof.Storage;

namespace Rollproof.Releases;

/// <summary>
/// Reads a release's migrations from a directory of <c>ID.up.sql</c> and optional <c>ID.down.sql</c> files, in
/// ordinal order of their IDs (so 0001_, 0002_ … apply in sequence).
/// </summary>
public static partial class MigrationDirectory
{
    public const long MaxScriptSize = 16 << 20;

    public static Result<IReadOnlyList<(Migration Migration, string UpPath, string? DownPath)>> Read(string directory)
    {
        if (!Directory.Exists(directory))
            return Result<IReadOnlyList<(Migration, string, string?)>>.Fail(ErrorCodes.InputMissing, $"migrations directory '{directory}' does not exist");
        var migrations = new List<(Migration, string, string?)>();
        foreach (var up in Directory.EnumerateFiles(directory, "*.up.sql").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileName(up)[..^".up.sql".Length];
            if (!IdPattern().IsMatch(id))
                return Result<IReadOnlyList<(Migration, string, string?)>>.Fail(ErrorCodes.InputMalformed, $"migration '{Path.GetFileName(up)}': an ID is letters, digits, '_', '-' or '.'");
            var down = Path.Combine(directory, id + ".down.sql");
            var hasDown = File.Exists(down);
            var upDigest = Digest(up);
            if (!upDigest.IsOk)
                return upDigest.Problem;
            string? downDigest = null;
            if (hasDown)
            {
                var read = Digest(down);
                if (!read.IsOk)
                    return read.Problem;
                downDigest = read.Value;
            }
            migrations.Add((new Migration(id, upDigest.Value, downDigest), up, hasDown ? down : null));
        }
        var orphan = Directory.EnumerateFiles(directory, "*.down.sql").FirstOrDefault(d => !File.Exists(d[..^".down.sql".Length] + ".up.sql"));
        if (orphan is not null)
            return Result<IReadOnlyList<(Migration, string, string?)>>.Fail(ErrorCodes.InputMalformed, $"'{Path.GetFileName(orphan)}' has no matching .up.sql");
        return Result<IReadOnlyList<(Migration, string, string?)>>.Ok(migrations);
    }

    private static Result<string> Digest(string path)
    {
        var script = InputFile.Read(path, MaxScriptSize, "migration script");
        return script.IsOk ? Result<string>.Ok(Sha256Digest.Of(script.Value).ToString()) : script.Problem;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex IdPattern();
}
