using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Trust;

/// <summary>
/// The log key a verifier holds for a log's origin: the key of kind <c>checkpoint</c> in its own trust file, or a
/// verifier key it was given outright. Never the key a store records in <c>.rollproof/log.json</c>: whoever controls
/// the store writes that file, and could swap the log for a fork signed by a key of their own.
/// </summary>
public sealed record LogAnchor(string Origin, INoteVerifier Key)
{
    /// <summary>The key's checkpoint key ID in hex: names the anchor in messages and keys the verifier's memory.</summary>
    /// <summary>
    /// The verifier's tlog-policy, when it requires witnesses: the checkpoint must then also meet its quorum
    /// (<see cref="TlogPolicy.Evaluate"/>), or it is not relied on.
    /// </summary>
    public TlogPolicy? Witnesses { get; init; }

    public string KeyId => Convert.ToHexStringLower(NoteKeyId.CheckpointKeyId(Key));

    /// <summary>The one unrevoked log key <paramref name="trust"/> names, as the note verifier for <paramref name="origin"/>.</summary>
    public static Result<LogAnchor> FromTrust(TrustFile trust, string origin)
    {
        TrustedKey[] keys = [.. trust.Keys.Where(k => k.Kinds.Contains(LogPublicKeys.Kind) && k.RevokedAt is null)];
        return keys switch
        {
            [var key] => Result<LogAnchor>.Ok(new LogAnchor(origin, LogPublicKeys.ToNoteVerifier(key.Key, origin))),
            [] => Result<LogAnchor>.Fail(ErrorCodes.KeyNotTrusted, $"the trust file names no unrevoked log key (kind '{LogPublicKeys.Kind}') to check the checkpoints of {origin} with: add the log's key, or give its verifier key"),
            _ => Result<LogAnchor>.Fail(ErrorCodes.KeyNotTrusted, $"the trust file names {keys.Length} unrevoked log keys ({string.Join(", ", keys.Select(k => k.Name))}): give the verifier key of the one that signs {origin}"),
        };
    }

    /// <summary>A C2SP verifier key string, whose name must be <paramref name="origin"/>.</summary>
    public static Result<LogAnchor> FromVerifierKey(string verifierKey, string origin)
    {
        var key = NoteKeys.ParseVerifierKey(verifierKey);
        if (!key.IsOk)
            return key.Problem;
        return key.Value.Name == origin
            ? Result<LogAnchor>.Ok(new LogAnchor(origin, key.Value))
            : Result<LogAnchor>.Fail(ErrorCodes.CheckpointOriginMismatch, $"the log key {verifierKey} is for '{key.Value.Name}', not for the log's origin {origin}");
    }

    /// <summary>
    /// The log's current checkpoint, which must be signed by this anchor (a checkpoint by any other key fails closed)
    /// and not older than its writer's records of published checkpoints; with <see cref="Witnesses"/>, cosigned by
    /// the witnesses its quorum needs.
    /// </summary>
    public Result<VerifiedCheckpoint> ReadCheckpoint(LogDirectory log)
    {
        var opened = log.ReadCheckpoint(Key);
        if (opened.IsOk)
            return CheckWitnessed(opened.Value);
        return opened.Problem.Code is ErrorCodes.LogNotInitialised or ErrorCodes.LogRewound or ErrorCodes.CheckpointRecordUnusable
            ? opened
            : opened.Problem with { Message = $"the checkpoint in '{log.Path}' is not signed by the log key this verifier holds for {Origin} (key ID {KeyId}): {opened.Problem.Message}" };
    }

    /// <summary>The checkpoint, if it meets <see cref="Witnesses"/>' quorum (or there is no policy); else why not.</summary>
    public Result<VerifiedCheckpoint> CheckWitnessed(VerifiedCheckpoint checkpoint)
    {
        if (Witnesses is null)
            return Result<VerifiedCheckpoint>.Ok(checkpoint);
        var decision = Witnesses.Evaluate(checkpoint.Note.ToBytes());
        return decision.IsOk
            ? Result<VerifiedCheckpoint>.Ok(checkpoint)
            : decision.Problem with { Message = $"the checkpoint of {Origin} at size {checkpoint.Checkpoint.Size} does not meet the tlog-policy: {decision.Problem.Message}" };
    }
}
