using Rollproof.Formats;

namespace Rollproof.Ledger;

/// <summary>
/// One log entry as the ledger reads it: the statement (null for an entry that is not a DSSE in-toto statement, such
/// as a Rekor body logged for a Sigstore bundle, whose kind is then "other"), the trusted key whose signature on it
/// verifies (null if none does), and the time the log's signed entry timestamp gives it (null if it has none).
/// </summary>
public sealed record LedgerEntry(long Index, string Digest, string Kind, InTotoStatement? Statement, string? SignerKeyId, string? Signer, DateTimeOffset? LoggedAt)
{
    public const string OtherKind = "other";
}
