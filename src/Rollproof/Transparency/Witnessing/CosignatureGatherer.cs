using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency.Witnessing;

/// <summary>
/// A checkpoint with the cosignatures gathered for it: <see cref="Note"/> is the log's signed note with the witnesses'
/// signature lines appended (still a plain signed note for any tlog-tiles client), <see cref="Cosigners"/> the policy's
/// witnesses that cosigned, and <see cref="Failures"/> why each other witness did not.
/// </summary>
public sealed record GatheredCheckpoint(byte[] Note, IReadOnlyList<string> Cosigners, bool QuorumMet, IReadOnlyList<Problem> Failures);

/// <summary>
/// The log's side of witnessing: asks every witness of its tlog-policy that has a URL for a cosignature at once, waits
/// at most <c>timeout</c>, and tells whether the cosignatures gathered meet the policy's quorum. One instance per log:
/// its clients remember the size each witness last cosigned.
/// </summary>
public sealed class CosignatureGatherer
{
    private readonly TlogPolicy _policy;
    private readonly IReadOnlyList<WitnessClient> _clients;
    private readonly TimeSpan _timeout;

    public CosignatureGatherer(TlogPolicy policy, HttpClient http, TimeSpan timeout)
    {
        _policy = policy;
        _clients = [.. policy.Witnesses.Values.OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => new WitnessClient(http, w))];
        _timeout = timeout;
    }

    /// <summary>Consistency proofs from the log's tiles, which the writer makes durable before it signs a checkpoint.</summary>
    public static ConsistencyProofs ProofsFrom(ILogStorage storage) =>
        (oldSize, newSize) => new ProofBuilder(new TileNodeSource(storage, newSize)).Consistency(oldSize, newSize);

    public async Task<GatheredCheckpoint> GatherAsync(byte[] signedCheckpoint, ConsistencyProofs proofs, CancellationToken cancellation = default)
    {
        var note = SignedNote.Parse(signedCheckpoint);
        var tree = note.IsOk ? Checkpoint.Parse(note.Value.Text) : note.Problem;
        if (!tree.IsOk)
            return new GatheredCheckpoint(signedCheckpoint, [], false, [tree.Problem]);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(_timeout);
        var answers = await Task.WhenAll(_clients.Select(c => AskAsync(c, note.Value, tree.Value, proofs, deadline.Token))).ConfigureAwait(false);
        var cosigned = note.Value with { Signatures = [.. note.Value.Signatures, .. answers.Where(a => a.IsOk).SelectMany(a => a.Value)] };
        var bytes = cosigned.ToBytes();
        var failures = answers.Where(a => !a.IsOk).Select(a => a.Problem!).ToList();
        var decision = _policy.Evaluate(bytes);
        if (decision.IsOk)
            return new GatheredCheckpoint(bytes, decision.Value.Cosigners, true, failures);
        var cosigners = _clients.Zip(answers).Where(p => p.Second.IsOk).Select(p => p.First.Witness.Name).ToList();
        return new GatheredCheckpoint(bytes, cosigners, false, [.. failures, decision.Problem]);
    }

    /// <summary>
    /// The hook for <see cref="LogWriterOptions.Cosign"/>: gathers cosignatures for each checkpoint the writer
    /// publishes and has it served with them, quorum or not (the log keeps serving; verifiers holding the policy refuse a
    /// checkpoint without its quorum). <paramref name="gathered"/> hears every outcome, to log or count.
    /// </summary>
    public Func<byte[], Task<byte[]>> Hook(ILogStorage storage, Action<GatheredCheckpoint>? gathered = null)
    {
        var proofs = ProofsFrom(storage);
        return async signedCheckpoint =>
        {
            var result = await GatherAsync(signedCheckpoint, proofs).ConfigureAwait(false);
            gathered?.Invoke(result);
            return result.Note;
        };
    }

    private static async Task<Result<IReadOnlyList<NoteSignature>>> AskAsync(WitnessClient client, SignedNote note, Checkpoint tree, ConsistencyProofs proofs, CancellationToken cancellation)
    {
        try
        {
            return await client.CosignAsync(note, tree, proofs, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException or UriFormatException or ProblemException)
        {
            var why = e is OperationCanceledException ? "no answer in time" : e.Message;
            return Result<IReadOnlyList<NoteSignature>>.Fail(ErrorCodes.WitnessUnavailable, $"witness '{client.Witness.Name}': {why}");
        }
    }
}
