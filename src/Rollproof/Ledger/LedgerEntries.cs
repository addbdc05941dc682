using Rollproof.Common;
using Rollproof.Formats;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;

namespace Rollproof.Ledger;

/// <summary>Reads entries of the log as ledger statements: kind, verified signer and authenticated time.</summary>
public static class LedgerEntries
{
    /// <summary>
    /// The entry at <paramref name="index"/> of a tree of <paramref name="treeSize"/>. A signed entry timestamp that
    /// does not verify with the log's key is a problem, never silently dropped: it means the log directory was altered.
    /// </summary>
    public static Result<LedgerEntry> Read(LogDirectory log, TrustFile trust, long index, long treeSize)
    {
        var bytes = LogEntries.Read(log.Storage, index, treeSize);
        if (!bytes.IsOk)
            return bytes.Problem;
        var timestamp = log.Timestamps.Read(index);
        if (!timestamp.IsOk)
            return timestamp.Problem;
        if (timestamp.Value?.Verify(log.Verifier, bytes.Value, index) is { } forged)
            return forged;
        var digest = Sha256Digest.Of(bytes.Value).ToString();
        var loggedAt = timestamp.Value?.Time;

        var envelope = DsseEnvelope.Parse(bytes.Value);
        var statement = envelope.IsOk ? InTotoStatement.FromEnvelope(envelope.Value) : envelope.Problem;
        if (!statement.IsOk)
            return Result<LedgerEntry>.Ok(new LedgerEntry(index, digest, LedgerEntry.OtherKind, null, null, null, loggedAt));
        var kind = StatementKinds.KindOf(statement.Value.PredicateType) ?? LedgerEntry.OtherKind;
        var signed = envelope.Value.Verify(trust.Keys.Select(k => k.Key));
        var keyId = signed.IsOk ? signed.Value[0] : null;
        var signer = keyId is null ? null : trust.NameOf(keyId);
        return Result<LedgerEntry>.Ok(new LedgerEntry(index, digest, kind, statement.Value, keyId, signer, loggedAt));
    }
}
