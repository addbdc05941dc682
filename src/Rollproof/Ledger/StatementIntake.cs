using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>A statement submitted signed and logged: where, with the log's timestamp and a receipt against a checkpoint that covers it.</summary>
public sealed record SubmittedStatement(string Kind, string SignerKeyId, string? SignerName, long Index, Transparency.SignedEntryTimestamp Timestamp, Transparency.TlogProof Receipt);

/// <summary>Who signed a submitted statement, once its signature and the trust for its kind have been verified, for a caller's own check (e.g. that it is the caller).</summary>
public sealed record VerifiedSigner(string Kind, string KeyId, string? Name);

/// <summary>
/// Takes a DSSE envelope signed elsewhere (by a client that holds its own key) into a store's log, on the one trust
/// path (<see cref="StatementJudge"/>): only an envelope in canonical form, holding a Rollproof statement, signed by a
/// key the trust in force lets sign its kind now, is logged; a key change only if it would change the trust
/// (trust on first use included); a release only as a local publish would take it (its files in the store, its
/// version not published before); approvals, reviews, policies and deployments only as the CLI would sign them
/// (<see cref="Rollbacks.SubmittedStatementRules"/>). Anything else is refused before the log is touched.
/// </summary>
public sealed class StatementIntake(ReleaseStore store, TimeProvider clock) : IDisposable
{
    // Key changes and releases are checked against the trust and records as they stand, then logged: one at a time,
    // so that two of them never pass their checks against the same state.
    private readonly SemaphoreSlim _stateChanges = new(1, 1);

    public async Task<Result<SubmittedStatement>> SubmitAsync(byte[] body, Func<VerifiedSigner, Problem?>? admit = null, CancellationToken cancellation = default)
    {
        if (body.Length > Transparency.EntryBundle.MaxEntrySize)
            return Result<SubmittedStatement>.Fail(ErrorCodes.EntryTooLarge, $"envelope: {body.Length} bytes, more than a log entry holds ({Transparency.EntryBundle.MaxEntrySize})");
        var envelope = DsseEnvelope.Parse(body);
        if (!envelope.IsOk)
            return envelope.Problem with { Message = $"envelope: {envelope.Problem.Message}" };
        if (!envelope.Value.ToJson().AsSpan().SequenceEqual(body))
            return Result<SubmittedStatement>.Fail(ErrorCodes.EnvelopeMalformed, "envelope: not in canonical form (RFC 8785 JSON, as Rollproof signs it): the log holds each statement in one form only");
        if (envelope.Value.PayloadType != InTotoStatement.PayloadType)
            return Result<SubmittedStatement>.Fail(ErrorCodes.EnvelopeMalformed, $"$.payloadType: '{envelope.Value.PayloadType}' is not {InTotoStatement.PayloadType}");
        var statement = InTotoStatement.FromEnvelope(envelope.Value);
        if (!statement.IsOk)
            return statement.Problem with { Message = $"$.payload: {statement.Problem.Message}" };
        if (StatementKinds.KindOf(statement.Value.PredicateType) is not { } kind)
            return Result<SubmittedStatement>.Fail(ErrorCodes.EnvelopeMalformed, $"$.payload.predicateType: '{statement.Value.PredicateType}' is not a Rollproof statement");
        var changesState = kind is StatementKinds.KeyChange or StatementKinds.Release;
        if (changesState)
            await _stateChanges.WaitAsync(cancellation);
        try
        {
            var signer = Verify(kind, body);
            if (!signer.IsOk)
                return signer.Problem;
            if (admit?.Invoke(signer.Value) is { } refused)
                return refused;
            if (Rollbacks.SubmittedStatementRules.Check(store, kind, statement.Value, signer.Value.Name, clock.GetUtcNow()) is { } broken)
                return broken;
            return await AppendAsync(kind, body, signer.Value, cancellation);
        }
        finally
        {
            if (changesState)
                _stateChanges.Release();
        }
    }

    public void Dispose() => _stateChanges.Dispose();

    private Result<VerifiedSigner> Verify(string kind, byte[] entry)
    {
        var trust = store.ReadTrust();
        if (!trust.IsOk)
            return trust.Problem;
        var checkpoint = store.Log.ReadCheckpoint();
        if (!checkpoint.IsOk)
            return checkpoint.Problem;
        // Judged as if logged now, at the next index: the least the statement's own index and timestamp will be.
        var index = checkpoint.Value.Checkpoint.Size;
        var verdict = StatementJudge.Judge(entry, index, clock.GetUtcNow(), trust.Value);
        if (!verdict.IsOk)
            return verdict.Problem;
        if (kind == StatementKinds.KeyChange)
        {
            if (TrustHistory.WouldSetAside(trust.Value, verdict.Value, index, entry) is { } why)
                return Result<VerifiedSigner>.Fail(ErrorCodes.KeyNotTrusted, $"$.signatures: the key change would not count: {why}");
            // Counted, or a key trusting itself on first use: then its signer is the key it adds.
            var keyId = verdict.Value.Signer?.Key.KeyId ?? FirstUseKey(verdict.Value);
            return Result<VerifiedSigner>.Ok(new VerifiedSigner(kind, keyId, verdict.Value.Signer?.Name));
        }
        return verdict.Value.Signer is { } signer
            ? Result<VerifiedSigner>.Ok(new VerifiedSigner(kind, signer.Key.KeyId, signer.Name))
            : Result<VerifiedSigner>.Fail(ErrorCodes.KeyNotTrusted, $"$.signatures: no key the trust lets sign {Article.For(kind)} statement now signed it: {verdict.Value.SetAside}");
    }

    private static string FirstUseKey(Verdict verdict)
    {
        var change = PredicateJson.Read<KeyChangePredicate>(verdict.Statement!, RollproofPredicates.PredicateType(KeyChangePredicate.Kind), "a key change");
        return Signing.PublicKey.FromPem(change.Value.PublicKey).Value.KeyId;
    }

    private async Task<Result<SubmittedStatement>> AppendAsync(string kind, byte[] entry, VerifiedSigner signer, CancellationToken cancellation)
    {
        long index;
        Transparency.SignedEntryTimestamp timestamp;
        if (kind == StatementKinds.Release)
        {
            var published = await store.PublishEnvelopeAsync(entry, clock, cancellation: cancellation);
            if (!published.IsOk)
                return published.Problem;
            (index, timestamp) = (published.Value.Record.LogIndex!.Value, published.Value.Record.Logged!);
        }
        else
        {
            var appended = await store.Log.AppendAsync(entry, clock);
            if (!appended.IsOk)
                return appended.Problem;
            (index, timestamp) = appended.Value;
            if (kind == StatementKinds.KeyChange && store.WriteTrustFile() is { IsOk: false } unwritten)
                return unwritten.Problem;
        }
        var receipt = store.Receipt(index);
        return receipt.IsOk
            ? Result<SubmittedStatement>.Ok(new SubmittedStatement(kind, signer.KeyId, signer.Name, index, timestamp, receipt.Value))
            : receipt.Problem;
    }
}
