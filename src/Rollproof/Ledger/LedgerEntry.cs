using Rollproof.Formats;

namespace Rollproof.Ledger;

/// <summary>
/// One log entry as the ledger reads it: the statement (null for an entry that is not a DSSE in-toto statement, such
/// as a Rekor body logged for a Sigstore bundle, whose kind is then "other"), the time the log's signed entry
/// timestamp gives it, and, judged by the one trust path, either the trusted key allowed to sign its kind for it
/// (<see cref="SignerKeyId"/>, <see cref="Signer"/>) or why it does not count (<see cref="SetAside"/>).
/// </summary>
public sealed record LedgerEntry(long Index, string Digest, string Kind, InTotoStatement? Statement, string? SignerKeyId, string? Signer, DateTimeOffset? LoggedAt, string? SetAside = null)
{
    public const string OtherKind = "other";

    /// <summary>A statement that counts: signed by a key the trust let sign its kind for this entry.</summary>
    public bool Counts => Signer is not null;
}
