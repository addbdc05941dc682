using System.Text.Json;
using Rollproof.Ledger;
using Rollproof.Queries;
using Rollproof.Trust;

namespace Rollproof.Server.Ledger;

/// <summary>The key a statement that counts was signed with: its name in the trust the log establishes (the actor) and its key id.</summary>
public sealed record StatementSigner(string Name, string KeyId);

/// <summary>
/// A statement that counts, as the ledger API lists it: where it is in the log, its kind and envelope digest, the log's
/// signed time for it, who signed it, what it is about and a one-line summary. <paramref name="RefersTo"/> is the
/// earlier statement it is about (a deployment's release, an approval's request), by log index.
/// </summary>
public sealed record LedgerStatement(
    long LogIndex, string Kind, string Digest, DateTimeOffset? LoggedAt, StatementSigner SignedBy,
    string? App, string? Environment, string? Version, long? RefersTo, string Summary)
{
    public static LedgerStatement Of(LedgerEntry entry, LedgerFacts facts) =>
        new(entry.Index, entry.Kind, entry.Digest, entry.LoggedAt, new StatementSigner(entry.Signer!, entry.SignerKeyId!),
            facts.App, facts.Environment, facts.Version, facts.Refers, facts.Summary);
}

/// <summary>A statement that counts, with its signed predicate as logged.</summary>
public sealed record DetailedStatement(LedgerStatement Statement, JsonElement Predicate);

/// <summary>An entry that does not count (an untrusted or unauthorised key, not a statement): listed with why, never read further.</summary>
public sealed record SetAsideEntry(long LogIndex, string Kind, DateTimeOffset? LoggedAt, string Reason)
{
    public static SetAsideEntry Of(LedgerEntry entry) =>
        new(entry.Index, entry.Kind, entry.LoggedAt, entry.SetAside ?? (entry.Index == TrustAnchors.Index ? "the store's trust anchors, not a statement" : "not a Rollproof statement"));
}

/// <summary>What every answer is read under, and the sentence that says so.</summary>
public static class LedgerTrust
{
    public const string Statement =
        "every statement listed counts: it was read from the log, proven against the checkpoint of treeSize entries, and signed by a key "
        + "that the trust the log establishes let sign its kind at its logged time (signedBy: the key's trust name and id); entries that do not count are under setAside, unread";
}
