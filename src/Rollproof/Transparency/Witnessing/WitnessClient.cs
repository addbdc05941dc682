using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;

namespace Rollproof.Transparency.Witnessing;

/// <summary>Builds the consistency proof from <c>oldSize</c> to <c>newSize</c> in the log being cosigned.</summary>
public delegate Result<List<byte[]>> ConsistencyProofs(long oldSize, long newSize);

/// <summary>
/// The log's side of C2SP tlog-witness for one witness: POSTs <c>add-checkpoint</c> to the witness's submission prefix
/// with a proof from the size it last cosigned, learns that size from a 409 when it does not know it (at first, after
/// a restart), and keeps only cosignatures that verify with the witness's key from the log's policy.
/// </summary>
public sealed class WitnessClient(HttpClient http, PolicyWitness witness)
{
    /// <summary>A response is a few signature lines: anything longer is refused unread.</summary>
    public const int MaxResponseSize = 64 * 1024;

    private long _cosignedSize;

    public PolicyWitness Witness { get; } = witness;

    /// <summary>The witness's valid cosignatures on <paramref name="checkpoint"/>, or why there are none.</summary>
    public async Task<Result<IReadOnlyList<NoteSignature>>> CosignAsync(SignedNote checkpoint, Checkpoint tree, ConsistencyProofs proofs, CancellationToken cancellation)
    {
        if (Witness.Url is null)
            return Fail("the policy gives no URL for it");
        // One retry: the first answer may be a 409 telling the size the witness last cosigned.
        for (var attempt = 0; ; attempt++)
        {
            var oldSize = Interlocked.Read(ref _cosignedSize);
            if (oldSize > tree.Size)
                return Fail($"it has cosigned size {oldSize}, beyond this checkpoint's {tree.Size}: it saw a larger tree of this log, which was rewound or forked");
            var proof = oldSize == 0 ? Result<List<byte[]>>.Ok([]) : proofs(oldSize, tree.Size);
            if (!proof.IsOk)
                return Fail($"no consistency proof from size {oldSize}: {proof.Problem.Message}");
            using var content = new ByteArrayContent(new AddCheckpointRequest(oldSize, proof.Value, checkpoint.ToBytes()).ToBytes());
            using var response = await http.PostAsync(Witness.Url.TrimEnd('/') + "/add-checkpoint", content, cancellation).ConfigureAwait(false);
            var body = await BoundedContent.ReadAsync(response.Content, MaxResponseSize, cancellation).ConfigureAwait(false);
            if (body is null)
                return Fail($"its response is larger than {MaxResponseSize} bytes");
            if (response.StatusCode == HttpStatusCode.Conflict && attempt == 0)
            {
                var size = ParseSize(response.Content.Headers.ContentType, body);
                if (!size.IsOk)
                    return size.Problem;
                Interlocked.Exchange(ref _cosignedSize, size.Value);
                continue;
            }
            if (response.StatusCode != HttpStatusCode.OK)
                return Fail($"it answered {(int)response.StatusCode}: {Printable(body)}");
            var cosignatures = Verify(checkpoint, body);
            if (cosignatures.IsOk)
                Interlocked.Exchange(ref _cosignedSize, tree.Size);
            return cosignatures;
        }
    }

    // The response's lines are appended to the checkpoint text and checked as one note, as the specification suggests:
    // signatures by other keys are ignored, a bad one by the witness's key refuses the answer.
    private Result<IReadOnlyList<NoteSignature>> Verify(SignedNote checkpoint, byte[] body)
    {
        string lines;
        try
        {
            lines = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Fail("its response is not UTF-8");
        }
        var note = SignedNote.Parse(checkpoint.Text + "\n" + lines);
        if (!note.IsOk)
            return Fail($"its response is not signature lines: {note.Problem.Message}");
        var opened = note.Value.Open([Witness.Key]);
        if (!opened.IsOk)
            return Fail($"no valid cosignature by its key {Witness.Key.Name}: {opened.Problem.Message}");
        return Result<IReadOnlyList<NoteSignature>>.Ok([.. opened.Value.Verified.Select(v => v.Signature)]);
    }

    private Result<long> ParseSize(MediaTypeHeaderValue? type, byte[] body)
    {
        if (type?.MediaType != WitnessOutcome.SizeContentType)
            return Result<long>.Fail(ErrorCodes.WitnessUnavailable, $"witness '{Witness.Name}' answered 409 with content type '{type?.MediaType}', not {WitnessOutcome.SizeContentType}");
        var text = Encoding.ASCII.GetString(body);
        return text.EndsWith('\n') && StrictDecimal.TryParse(text[..^1], out var size)
            ? Result<long>.Ok(size)
            : Result<long>.Fail(ErrorCodes.WitnessUnavailable, $"witness '{Witness.Name}' answered 409 without a tree size: {Printable(body)}");
    }

    private static string Printable(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200))).TrimEnd();
        return new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
    }

    private Result<IReadOnlyList<NoteSignature>> Fail(string why) =>
        Result<IReadOnlyList<NoteSignature>>.Fail(ErrorCodes.WitnessUnavailable, $"witness '{Witness.Name}': {why}");
}
