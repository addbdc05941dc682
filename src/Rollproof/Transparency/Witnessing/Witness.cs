using System.Collections.Concurrent;
using Rollproof.Common;
using Rollproof.Signing;

namespace Rollproof.Transparency.Witnessing;

/// <summary>
/// A C2SP tlog-witness: cosigns a log's checkpoint only if a key it trusts for the log's origin signed it and it is
/// consistent with the latest checkpoint this witness cosigned for that log, so a log can never get its cosignature on
/// two different histories. Checking the old size and recording the new checkpoint happen under one lock per origin,
/// and the record is durable before the cosignature is handed out: a crash in between gives out nothing.
/// </summary>
public sealed class Witness
{
    private readonly ILookup<string, INoteVerifier> _logKeys;
    private readonly CosignatureV1Signer _cosigner;
    private readonly IWitnessState _state;
    private readonly ConcurrentDictionary<string, object> _locks = new(StringComparer.Ordinal);

    /// <param name="logKeys">The logs this witness cosigns for, each key named by its log's origin.</param>
    public Witness(IEnumerable<INoteVerifier> logKeys, CosignatureV1Signer cosigner, IWitnessState state)
    {
        _logKeys = logKeys.ToLookup(k => k.Name, StringComparer.Ordinal);
        _cosigner = cosigner;
        _state = state;
    }

    /// <summary>The witness's verifier key, for the logs' tlog-policy files.</summary>
    public string VerifierKey => _cosigner.VerifierKey;

    /// <summary>Handles an <c>add-checkpoint</c> request body.</summary>
    public WitnessOutcome AddCheckpoint(ReadOnlySpan<byte> body)
    {
        var request = AddCheckpointRequest.Parse(body);
        if (!request.IsOk)
            return WitnessOutcome.Refused(WitnessStatus.Malformed, request.Problem);
        var note = SignedNote.Parse(request.Value.SignedCheckpoint);
        var checkpoint = note.IsOk ? Checkpoint.Parse(note.Value.Text) : note.Problem;
        if (!checkpoint.IsOk)
            return WitnessOutcome.Refused(WitnessStatus.Malformed, checkpoint.Problem);
        var origin = checkpoint.Value.Origin;
        var keys = _logKeys[origin].ToList();
        if (keys.Count == 0)
            return WitnessOutcome.Refused(WitnessStatus.UnknownLog, new Problem(ErrorCodes.WitnessUnknownLog, $"this witness knows no log with origin '{Truncate(origin)}'"));
        // Signatures by keys it does not know are ignored; a known key's bad signature refuses the note (403).
        var opened = note.Value.Open(keys);
        if (!opened.IsOk)
            return WitnessOutcome.Refused(WitnessStatus.Forbidden, opened.Problem);
        if (request.Value.OldSize > checkpoint.Value.Size)
            return WitnessOutcome.Refused(WitnessStatus.Malformed, new Problem(ErrorCodes.WitnessRequestMalformed, $"old size {request.Value.OldSize} is larger than the checkpoint's size {checkpoint.Value.Size}"));
        var logSigned = note.Value with { Signatures = [.. opened.Value.Verified.Select(v => v.Signature)] };
        lock (_locks.GetOrAdd(origin, _ => new object()))
            return CosignIfConsistent(request.Value, checkpoint.Value, logSigned, keys);
    }

    /// <summary>The latest checkpoint cosigned for the log whose origin hashes to <paramref name="originHash"/> (lowercase hex SHA-256), or null.</summary>
    public Result<byte[]?> Latest(string originHash)
    {
        var origin = _logKeys.Select(g => g.Key).FirstOrDefault(o => WitnessStateDirectory.OriginHash(o) == originHash);
        return origin is null ? Result<byte[]?>.Ok(null) : _state.Read(origin);
    }

    private WitnessOutcome CosignIfConsistent(AddCheckpointRequest request, Checkpoint checkpoint, SignedNote logSigned, List<INoteVerifier> keys)
    {
        var latest = ReadLatest(checkpoint.Origin, keys);
        if (!latest.IsOk)
            return WitnessOutcome.Refused(WitnessStatus.Unavailable, latest.Problem);
        var latestSize = latest.Value?.Size ?? 0;
        if (request.OldSize != latestSize)
            return WitnessOutcome.Conflict(latestSize, request.OldSize);
        var inconsistent = CheckConsistency(request, checkpoint, latest.Value);
        if (inconsistent is not null)
            return WitnessOutcome.Refused(WitnessStatus.Unprocessable, inconsistent);
        var cosigned = logSigned.AddSignatures(_cosigner);
        _state.Record(checkpoint.Origin, cosigned.ToBytes());
        return WitnessOutcome.Cosigned(cosigned.Signatures[^1].ToLine());
    }

    private static Problem? CheckConsistency(AddCheckpointRequest request, Checkpoint checkpoint, Checkpoint? latest)
    {
        if (checkpoint.Size == 0 && !checkpoint.RootHash.AsSpan().SequenceEqual(MerkleHasher.EmptyRoot()))
            return new Problem(ErrorCodes.ConsistencyProofInvalid, "a checkpoint of size 0 must have the empty tree's root hash");
        if (latest is null || request.OldSize == 0)
            return request.Proof.Count == 0 ? null : new Problem(ErrorCodes.ConsistencyProofInvalid, "old size 0 needs an empty consistency proof");
        var problem = MerkleProofs.VerifyConsistency(request.OldSize, checkpoint.Size, latest.RootHash, checkpoint.RootHash, request.Proof);
        return problem is null ? null : problem with { Message = $"from the cosigned size {request.OldSize} to {checkpoint.Size}: {problem.Message}" };
    }

    // The state is the witness's own, but it is still checked: a file it cannot verify stops it rather than reset it to zero.
    private Result<Checkpoint?> ReadLatest(string origin, List<INoteVerifier> keys)
    {
        var stored = _state.Read(origin);
        if (!stored.IsOk)
            return stored.Problem;
        if (stored.Value is null)
            return Result<Checkpoint?>.Ok(null);
        var opened = Checkpoint.Open(stored.Value, origin, keys);
        return opened.IsOk
            ? Result<Checkpoint?>.Ok(opened.Value.Checkpoint)
            : Result<Checkpoint?>.Fail(ErrorCodes.WitnessStateUnusable, $"the witness's record for '{origin}' does not verify with the log's key: {opened.Problem.Message}");
    }

    private static string Truncate(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
