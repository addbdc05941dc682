using System.Globalization;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency;

/// <summary>The body of a C2SP tlog-checkpoint: origin, tree size, root hash and optional extension lines.</summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash, IReadOnlyList<string> Extensions)
{
    public Checkpoint(string origin, long size, byte[] rootHash) : this(origin, size, rootHash, []) { }

    public string ToText() =>
        $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(RootHash)}\n" + string.Concat(Extensions.Select(e => e + "\n"));

    public static Result<Checkpoint> Parse(string text)
    {
        if (!text.EndsWith('\n'))
            return Fail("checkpoint text does not end with a newline");
        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
            return Fail($"checkpoint text has {lines.Length} lines, expected at least 3 (origin, size, root hash)");
        if (lines[0].Length == 0)
            return Fail("line 1 (origin) is empty");
        var sizeText = lines[1];
        if (!StrictDecimal.TryParse(sizeText, out var size))
            return Fail($"line 2 (tree size) '{Truncate(sizeText)}' is not a decimal number without leading zeroes");
        if (!StrictBase64.TryDecode(lines[2], out var root))
            return Fail("line 3 (root hash) is not valid base64");
        if (root.Length != MerkleHasher.HashSize)
            return Fail($"line 3 (root hash) is {root.Length} bytes, expected {MerkleHasher.HashSize}");
        var extensions = lines[3..];
        var empty = Array.FindIndex(extensions, e => e.Length == 0);
        if (empty >= 0)
            return Fail($"line {empty + 4} (extension) is empty");
        return Result<Checkpoint>.Ok(new Checkpoint(lines[0], size, root, extensions));
    }

    /// <summary>
    /// Parses a signed checkpoint, checks that a key trusted for <paramref name="origin"/> signed it and that the origin
    /// line matches. Cosignatures by other keys are left in <see cref="VerifiedCheckpoint.Note"/> for a witness policy.
    /// </summary>
    public static Result<VerifiedCheckpoint> Open(ReadOnlySpan<byte> signedNote, string origin, IEnumerable<INoteVerifier> logKeys)
    {
        var note = SignedNote.Parse(signedNote);
        if (!note.IsOk)
            return note.Problem;
        var opened = note.Value.Open(logKeys);
        if (!opened.IsOk)
            return opened.Problem;
        var checkpoint = Parse(note.Value.Text);
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        if (checkpoint.Value.Origin != origin)
            return Result<VerifiedCheckpoint>.Fail(ErrorCodes.CheckpointOriginMismatch, $"checkpoint origin '{checkpoint.Value.Origin}' is not the expected '{origin}'");
        return Result<VerifiedCheckpoint>.Ok(new VerifiedCheckpoint(checkpoint.Value, note.Value));
    }

    /// <summary>Opens a checkpoint signed by the log key <paramref name="logKey"/>, whose name is the log's origin.</summary>
    public static Result<VerifiedCheckpoint> Open(ReadOnlySpan<byte> signedNote, INoteVerifier logKey) => Open(signedNote, logKey.Name, [logKey]);

    private static Result<Checkpoint> Fail(string message) => Result<Checkpoint>.Fail(ErrorCodes.CheckpointMalformed, message);

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;
}

/// <summary>A checkpoint whose log signature verified, with the signed note it came in.</summary>
public sealed record VerifiedCheckpoint(Checkpoint Checkpoint, SignedNote Note);
