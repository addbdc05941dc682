using System.Globalization;
using System.Text;
using Rollproof.Common;

namespace Rollproof.Transparency.Witnessing;

/// <summary>
/// The body of a C2SP tlog-witness <c>add-checkpoint</c> request: <c>old N</c>, up to 63 base64 consistency proof
/// hashes, a blank line, then the signed checkpoint note, every line ending in a newline.
/// </summary>
public sealed record AddCheckpointRequest(long OldSize, IReadOnlyList<byte[]> Proof, byte[] SignedCheckpoint)
{
    public const int MaxProofLines = 63;

    /// <summary>
    /// Bodies larger than this are refused before parsing: a checkpoint with a few dozen signatures and a full proof
    /// fits many times over, and a witness should not buffer megabytes for anyone who asks.
    /// </summary>
    public const int MaxSize = 256 * 1024;

    private const string OldPrefix = "old ";

    public static Result<AddCheckpointRequest> Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length > MaxSize)
            return Fail($"request body is {body.Length} bytes, more than the {MaxSize}-byte limit");
        var rest = body;
        if (!TakeLine(ref rest, out var oldLine))
            return Fail("line 1 (old size) does not end with a newline");
        if (!oldLine.StartsWith(OldPrefix, StringComparison.Ordinal) || !StrictDecimal.TryParse(oldLine[OldPrefix.Length..], out var oldSize))
            return Fail($"line 1 is not 'old' and a tree size without leading zeroes: '{Truncate(oldLine)}'");
        var proof = new List<byte[]>();
        for (var number = 2; ; number++)
        {
            if (!TakeLine(ref rest, out var line))
                return Fail($"line {number}: the request ends before the blank line that precedes the checkpoint");
            if (line.Length == 0)
                break;
            if (proof.Count == MaxProofLines)
                return Fail($"line {number}: more than {MaxProofLines} consistency proof lines");
            if (!StrictBase64.TryDecode(line, out var hash) || hash.Length != MerkleHasher.HashSize)
                return Fail($"line {number} (consistency proof) is not a base64 {MerkleHasher.HashSize}-byte hash");
            proof.Add(hash);
        }
        return Result<AddCheckpointRequest>.Ok(new AddCheckpointRequest(oldSize, proof, rest.ToArray()));
    }

    public byte[] ToBytes()
    {
        var header = new StringBuilder().Append(OldPrefix).Append(OldSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in Proof)
            header.Append(Convert.ToBase64String(hash)).Append('\n');
        header.Append('\n');
        return [.. Encoding.ASCII.GetBytes(header.ToString()), .. SignedCheckpoint];
    }

    // Header lines are short ASCII; anything else in them fails the checks that follow, so Latin-1 loses nothing.
    private static bool TakeLine(ref ReadOnlySpan<byte> rest, out string line)
    {
        var end = rest.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = "";
            return false;
        }
        line = Encoding.Latin1.GetString(rest[..end]);
        rest = rest[(end + 1)..];
        return true;
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;

    private static Result<AddCheckpointRequest> Fail(string message) => Result<AddCheckpointRequest>.Fail(ErrorCodes.WitnessRequestMalformed, message);
}
