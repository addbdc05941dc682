using System.Security.Cryptography;
using System.Text;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Cli.Infrastructure;

/// <summary>
/// Where a verifier remembers the last checkpoint it saw of a log, unless told otherwise (--state): one folder per
/// origin, one file per log key it checked that origin's checkpoints with.
/// </summary>
internal static class VerifierState
{
    private static string Root => Path.Combine(VerifierHome.Root, "seen");

    /// <summary>The memory for checkpoints of <paramref name="origin"/> checked with <paramref name="logKey"/>, the verifier's anchor.</summary>
    public static string DefaultPath(string origin, INoteVerifier logKey) => PathIn(Root, origin, logKey);

    public static string PathIn(string root, string origin, INoteVerifier logKey)
    {
        var directory = Path.Combine(root, Hex(Encoding.UTF8.GetBytes(origin)));
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Hex(NoteKeyId.CheckpointKeyId(logKey)) + ".checkpoint");
    }

    /// <summary>
    /// When the log key came from the store itself, its memory is all that holds it to what this verifier saw: a
    /// problem if <paramref name="memory"/> is new while the origin's checkpoints were seen under another key before.
    /// </summary>
    public static Problem? CheckPinned(string memory, string origin)
    {
        if (File.Exists(memory))
            return null;
        var others = Directory.EnumerateFiles(Path.GetDirectoryName(memory)!, "*.checkpoint").ToList();
        return others.Count == 0
            ? null
            : new Problem(ErrorCodes.CheckpointInconsistent, $"this verifier saw the checkpoints of {origin} signed by another log key ({others[0]}), and the store now names a new one: its log was replaced, or its operator changed keys. Verify with --trust or --log-key naming the key you trust");
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];
}
