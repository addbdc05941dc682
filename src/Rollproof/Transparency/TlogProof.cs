using System.Globalization;
using System.Text;
using Rollproof.Common;

namespace Rollproof.Transparency;

/// <summary>
/// A C2SP tlog-proof receipt: the entry's index, its inclusion proof and the (cosigned) checkpoint it is proven
/// against, verifiable offline with a log policy. Stored with the extension <c>.tlog-proof</c>.
/// </summary>
public sealed record TlogProof(long Index, IReadOnlyList<byte[]> InclusionProof, byte[] SignedCheckpoint, byte[]? Extra = null)
{
    public const string Header = "c2sp.org/tlog-proof@v1";
    public const int MaxSize = 2 << 20;

    public string Format()
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        if (Extra is { Length: > 0 })
            text.Append("extra ").Append(Convert.ToBase64String(Extra)).Append('\n');
        text.Append("index ").Append(Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in InclusionProof)
            text.Append(Convert.ToBase64String(hash)).Append('\n');
        text.Append('\n');
        return text.ToString() + Encoding.UTF8.GetString(SignedCheckpoint);
    }

    public static Result<TlogProof> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxSize)
            return Fail($"receipt is {bytes.Length} bytes, more than the {MaxSize}-byte limit");
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            return Fail($"receipt is not valid UTF-8 (byte offset {e.Index})");
        }
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0)
            return Fail("no blank line between the proof and the checkpoint");
        var lines = text[..blank].Split('\n');
        var checkpoint = Encoding.UTF8.GetBytes(text[(blank + 2)..]);
        if (lines[0] != Header)
            return Fail($"line 1 must be '{Header}'");
        var next = 1;
        byte[]? extra = null;
        if (next < lines.Length && lines[next].StartsWith("extra ", StringComparison.Ordinal))
        {
            if (!StrictBase64.TryDecode(lines[next][6..], out extra))
                return Fail($"line {next + 1}: extra data is not valid base64");
            next++;
        }
        if (next >= lines.Length || !lines[next].StartsWith("index ", StringComparison.Ordinal))
            return Fail($"line {next + 1} must be 'index <n>'");
        var indexText = lines[next][6..];
        if (!StrictDecimal.TryParse(indexText, out var index))
            return Fail($"line {next + 1}: index '{indexText}' is not a decimal number without leading zeroes");
        var proof = new List<byte[]>();
        for (var i = next + 1; i < lines.Length; i++)
        {
            if (!StrictBase64.TryDecode(lines[i], out var hash) || hash.Length != MerkleHasher.HashSize)
                return Fail($"line {i + 1}: not a base64 SHA-256 hash");
            proof.Add(hash);
        }
        return Result<TlogProof>.Ok(new TlogProof(index, proof, checkpoint, extra));
    }

    /// <summary>Checks the checkpoint against <paramref name="policy"/> and that the entry with <paramref name="leafHash"/> is included in it.</summary>
    public Result<PolicyDecision> Verify(ReadOnlySpan<byte> leafHash, TlogPolicy policy)
    {
        var decision = policy.Evaluate(SignedCheckpoint);
        if (!decision.IsOk)
            return decision;
        var checkpoint = decision.Value.Checkpoint;
        var problem = MerkleProofs.VerifyInclusion(Index, checkpoint.Size, leafHash, InclusionProof, checkpoint.RootHash);
        return problem is null
            ? decision
            : Result<PolicyDecision>.Fail(ErrorCodes.ReceiptInvalid, $"entry {Index} is not proven included in the checkpoint of size {checkpoint.Size}: {problem.Message}");
    }

    private static Result<TlogProof> Fail(string message) => Result<TlogProof>.Fail(ErrorCodes.ReceiptMalformed, message);
}
