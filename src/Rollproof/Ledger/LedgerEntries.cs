using Rollproof.Common;
using Rollproof.Signing;
using Rollproof.Storage;
using Rollproof.Transparency;
using Rollproof.Trust;

namespace Rollproof.Ledger;

/// <summary>Reads entries of the log as ledger statements: kind, authenticated time, and the one trust path's verdict.</summary>
public static class LedgerEntries
{
    /// <summary>
    /// The entry at <paramref name="index"/> of a tree of <paramref name="treeSize"/>. A signed entry timestamp that
    /// does not verify with the log's key is a problem, never silently dropped: it means the log directory was altered.
    /// </summary>
    public static Result<LedgerEntry> Read(LogDirectory log, TrustFile trust, long index, long treeSize)
    {
        var bytes = LogEntries.Read(log.Storage, index, treeSize);
        return bytes.IsOk ? Judge(log, trust, index, bytes.Value) : bytes.Problem;
    }

    /// <summary>An entry already read from the log, judged as <see cref="Read"/> judges it.</summary>
    public static Result<LedgerEntry> Judge(LogDirectory log, TrustFile trust, long index, ReadOnlySpan<byte> bytes)
    {
        var verdict = StatementJudge.JudgeLogged(log, index, bytes, trust);
        if (!verdict.IsOk)
            return verdict.Problem;
        var v = verdict.Value;
        var digest = Sha256Digest.Of(bytes).ToString();
        return Result<LedgerEntry>.Ok(new LedgerEntry(index, digest, v.Kind ?? LedgerEntry.OtherKind, v.Kind is null ? null : v.Statement, v.Signer?.Key.KeyId, v.Signer?.Name, v.LoggedAt, v.SetAside));
    }
}
