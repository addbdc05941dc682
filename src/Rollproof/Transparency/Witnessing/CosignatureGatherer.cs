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
/// The log's side of witnessing: asks the witnesses of its tlog-policy for a cosignature at once, each request given
/// at most <c>timeout</c>, and tells whether the cosignatures gathered meet the policy's quorum. A witness that failed
/// rests for a while (<see cref="WitnessBackOff"/>) while the quorum is within reach of the others. One instance per
/// log: its clients remember the size each witness last cosigned.
/// </summary>
public sealed class CosignatureGatherer
{
    private readonly TlogPolicy _policy;
    private readonly IReadOnlyList<(WitnessClient Client, WitnessBackOff BackOff)> _witnesses;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;

    public CosignatureGatherer(TlogPolicy policy, HttpClient http, TimeSpan timeout, TimeProvider? clock = null)
    {
        _policy = policy;
        _witnesses = [.. policy.Witnesses.Values.OrderBy(w => w.Name, StringComparer.Ordinal).Select(w => (new WitnessClient(http, w), new WitnessBackOff()))];
        _timeout = timeout;
        _clock = clock ?? TimeProvider.System;
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
        var now = _clock.GetUtcNow();
        var asked = _witnesses.Where(w => !w.BackOff.IsResting(now, out _, out _)).ToList();
        // A resting witness is skipped only while the others can still meet the quorum: no checkpoint is withheld
        // for want of asking.
        if (!_policy.CouldBeMetBy(asked.Select(w => w.Client.Witness.Name)))
            asked = [.. _witnesses];
        var answers = await Task.WhenAll(asked.Select(w => AskAsync(w.Client, note.Value, tree.Value, proofs, cancellation))).ConfigureAwait(false);
        foreach (var (witness, answer) in asked.Zip(answers))
        {
            if (answer.IsOk)
                witness.BackOff.Succeeded();
            else
                witness.BackOff.Failed(_clock.GetUtcNow());
        }
        var cosigned = note.Value with { Signatures = [.. note.Value.Signatures, .. answers.Where(a => a.IsOk).SelectMany(a => a.Value)] };
        var bytes = cosigned.ToBytes();
        List<Problem> failures = [.. _witnesses.Except(asked).Select(w => Resting(w.Client, w.BackOff, now)), .. answers.Where(a => !a.IsOk).Select(a => a.Problem!)];
        var decision = _policy.Evaluate(bytes);
        if (decision.IsOk)
            return new GatheredCheckpoint(bytes, decision.Value.Cosigners, true, failures);
        var cosigners = asked.Zip(answers).Where(p => p.Second.IsOk).Select(p => p.First.Client.Witness.Name).ToList();
        return new GatheredCheckpoint(bytes, cosigners, false, [.. failures, decision.Problem]);
    }

    /// <summary>
    /// The hook for <see cref="LogWriterOptions.Cosign"/>: gathers cosignatures for each checkpoint the writer would
    /// publish and has it published with them only when they meet the quorum (fail closed: otherwise the writer withholds
    /// it, RP1410, and asks again). <paramref name="gathered"/> hears every outcome, to log or count.
    /// </summary>
    public Func<byte[], Task<Result<byte[]>>> Hook(ILogStorage storage, Action<GatheredCheckpoint>? gathered = null)
    {
        var proofs = ProofsFrom(storage);
        return async signedCheckpoint =>
        {
            var result = await GatherAsync(signedCheckpoint, proofs).ConfigureAwait(false);
            gathered?.Invoke(result);
            return result.QuorumMet
                ? Result<byte[]>.Ok(result.Note)
                : Result<byte[]>.Fail(ErrorCodes.WitnessQuorumMissing, $"the log withholds its next checkpoint until its witnesses' cosignatures meet the quorum: {string.Join("; ", result.Failures.Select(f => f.Message))}");
        };
    }

    private async Task<Result<IReadOnlyList<NoteSignature>>> AskAsync(WitnessClient client, SignedNote note, Checkpoint tree, ConsistencyProofs proofs, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(_timeout);
        try
        {
            return await client.CosignAsync(note, tree, proofs, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException or UriFormatException or ProblemException)
        {
            var why = e is OperationCanceledException ? "no answer in time" : e.Message;
            return Result<IReadOnlyList<NoteSignature>>.Fail(ErrorCodes.WitnessUnavailable, $"witness '{client.Witness.Name}': {why}");
        }
    }

    private static Problem Resting(WitnessClient client, WitnessBackOff backOff, DateTimeOffset now)
    {
        backOff.IsResting(now, out var until, out var failures);
        return new Problem(ErrorCodes.WitnessResting, $"witness '{client.Witness.Name}': not asked until {until:u} after {failures} failure(s) in a row");
    }
}
