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
/// version not published before); every other kind only as the CLI would sign it
/// (<see cref="Rollbacks.SubmittedStatementRules"/>). Anything else is refused before the log is touched.
/// </summary>
/// <remarks>
/// The checks must hold for the log the entry is appended on. Key changes, releases, policies, approvals of a
/// policy change and rollback executions (each judged by the executions before it) are checked and appended alone
/// (<see cref="TrustChangeGate"/>). Every other statement is checked,
/// signature included, alongside any number of others, then appended while no such change can run; if one was
/// appended since its check, it is checked again first.
/// </remarks>
public sealed class StatementIntake(ReleaseStore store, TimeProvider clock, string stateFile) : IDisposable
{
    private readonly TrustChangeGate _gate = new();

    /// <summary>A test's seam: runs after a statement that changes no trust passed its checks, before it waits to be appended.</summary>
    internal Func<CancellationToken, Task>? AfterCheck { get; init; }

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
        var submission = new Submission(kind, body, statement.Value, admit);
        // An execution is judged by the request's executions before it (a start admits one end): checked and appended
        // alone, so two submitted together are judged one after the other.
        if (kind is StatementKinds.KeyChange or StatementKinds.Release or StatementKinds.Policy or StatementKinds.Execution)
            return await ChangeAsync(submission, cancellation);

        var changes = _gate.Changes;
        var signer = await CheckAsync(submission, cancellation);
        if (!signer.IsOk)
            return signer.Problem;
        if (Rollbacks.SubmittedStatementRules.ChangesPolicy(store, kind, statement.Value))
            return await ChangeAsync(submission, cancellation);
        if (AfterCheck is { } afterCheck)
            await afterCheck(cancellation);
        using (await _gate.AppendAsync(cancellation))
        {
            // Trust or a policy changed since the check: judged again by the log it is appended on.
            if (_gate.Changes != changes)
                signer = await CheckAsync(submission, cancellation);
            return signer.IsOk ? await AppendAsync(kind, body, signer.Value, cancellation) : signer.Problem;
        }
    }

    public void Dispose() => _gate.Dispose();

    private sealed record Submission(string Kind, byte[] Body, InTotoStatement Statement, Func<VerifiedSigner, Problem?>? Admit);

    // Checked and appended alone, so that no other statement is judged by the trust or policy before it.
    private async Task<Result<SubmittedStatement>> ChangeAsync(Submission submission, CancellationToken cancellation)
    {
        using var alone = await _gate.ChangeAsync(cancellation);
        var signer = await CheckAsync(submission, cancellation);
        if (!signer.IsOk)
            return signer.Problem;
        var appended = await AppendAsync(submission.Kind, submission.Body, signer.Value, cancellation);
        _gate.Changed(); // counted even if the append failed part way: a check made before it is made again
        return appended;
    }

    private async Task<Result<VerifiedSigner>> CheckAsync(Submission submission, CancellationToken cancellation)
    {
        var signer = Verify(submission.Kind, submission.Body);
        if (!signer.IsOk)
            return signer.Problem;
        if (submission.Admit?.Invoke(signer.Value) is { } refused)
            return refused;
        return await Rollbacks.SubmittedStatementRules.CheckAsync(store, submission.Kind, submission.Statement, signer.Value.Name, stateFile, clock, cancellation) is { } broken
            ? broken
            : signer;
    }

    private Result<VerifiedSigner> Verify(string kind, byte[] entry)
    {
        var trusted = store.ReadTrustAtCheckpoint();
        if (!trusted.IsOk)
            return trusted.Problem;
        var (trust, index) = (trusted.Value.Trust, trusted.Value.NextIndex);
        // Judged as if logged now, at the next index: the least the statement's own index and timestamp will be.
        var verdict = StatementJudge.Judge(entry, index, clock.GetUtcNow(), trust);
        if (!verdict.IsOk)
            return verdict.Problem;
        if (kind == StatementKinds.KeyChange)
        {
            if (TrustHistory.WouldSetAside(trust, verdict.Value, index, entry) is { } why)
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
