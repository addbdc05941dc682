using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Releases;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>A statement the log took: where it is, the log's timestamp for it, and its envelope's bytes.</summary>
public sealed record LoggedStatement(StatementRef Ref, SignedEntryTimestamp Timestamp, byte[] Envelope);

/// <summary>
/// Appends signed statements to a store's log, and reads them back through <see cref="LedgerView"/>.
/// A key signs only the kinds of statement the trust file grants it, at the time of signing: least privilege is
/// checked before anything is logged, and again by every verifier at the logged time.
/// </summary>
public sealed class StatementLedger(ReleaseStore store)
{
    public async Task<Result<LoggedStatement>> AppendAsync(InTotoStatement statement, IStatementSigner signer, TimeProvider clock, CancellationToken cancellation = default)
    {
        if (StatementKinds.KindOf(statement.PredicateType) is not { } kind)
            return Result<LoggedStatement>.Fail(ErrorCodes.EnvelopeMalformed, $"$.predicateType: '{statement.PredicateType}' is not a Rollproof statement");
        var trusted = store.ReadTrustAtCheckpoint();
        if (!trusted.IsOk)
            return trusted.Problem;
        var allowed = trusted.Value.Trust.Authorize(signer.PublicKey.KeyId, kind, clock.GetUtcNow(), trusted.Value.NextIndex);
        if (!allowed.IsOk)
            return allowed.Problem with { Message = $"may not sign {Article.For(kind)} statement: {allowed.Problem.Message}" };
        var envelope = statement.Sign(signer).ToJson();
        if (envelope.Length > EntryBundle.MaxEntrySize)
            return Result<LoggedStatement>.Fail(ErrorCodes.EntryTooLarge, $"the signed {kind} statement is {envelope.Length} bytes, more than a log entry holds ({EntryBundle.MaxEntrySize})");
        var appended = await store.Log.AppendAsync(envelope, clock);
        return appended.IsOk
            ? Result<LoggedStatement>.Ok(new LoggedStatement(StatementRef.Of(appended.Value.Index, envelope), appended.Value.Timestamp, envelope))
            : appended.Problem;
    }

    /// <summary>One statement of a kind, read from the log as it stands now; it must count under the trust the log establishes.</summary>
    public Result<LoggedPredicate<T>> Read<T>(long index, string kind) where T : class
    {
        var view = LedgerView.Open(store);
        return view.IsOk ? view.Value.Read<T>(index, kind) : view.Problem;
    }

    /// <summary>
    /// The statements of a kind about an earlier one (a request's executions, notifications, …) that count, in log
    /// order, found in the log itself. One signed by a key the trust never allowed is never counted, so it can never
    /// pass for a step already done.
    /// </summary>
    public Result<IReadOnlyList<LoggedPredicate<T>>> Referring<T>(StatementRef target, string kind) where T : class
    {
        var view = LedgerView.Open(store);
        var found = view.IsOk ? view.Value.Referring<T>(target, kind) : view.Problem;
        return found.IsOk ? Result<IReadOnlyList<LoggedPredicate<T>>>.Ok(found.Value.Counted) : found.Problem;
    }
}
