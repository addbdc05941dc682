using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Queries;

namespace Rollproof.Server.Ledger;

/// <summary>
/// The columns of a statement that counts (<see cref="LedgerFacts"/>), read from the log: a statement about an earlier
/// one (an approval, a review, an execution) takes that one's app and environment when it names it by its digest and
/// that one counts, as the query index does, so the API and <c>rollproof query</c> file statements alike.
/// </summary>
public static class StatementFacts
{
    public static Result<LedgerFacts> Of(LedgerView view, LedgerEntry entry)
    {
        var facts = LedgerFacts.Of(entry);
        if (facts.App is not null || facts.Refers is not { } refers || refers < 0 || refers >= entry.Index)
            return Result<LedgerFacts>.Ok(facts);
        var referred = view.Entry(refers);
        if (!referred.IsOk)
            return referred.Problem;
        if (!referred.Value.Counts || (facts.RefersDigest is { } digest && digest != referred.Value.Digest))
            return Result<LedgerFacts>.Ok(facts);
        var about = LedgerFacts.Of(referred.Value);
        return Result<LedgerFacts>.Ok(facts with { App = about.App, Environment = facts.Environment ?? about.Environment });
    }

    /// <summary>Every sha256 digest a statement answers to: its envelope's, its subjects', and the files it names.</summary>
    public static IEnumerable<string> Digests(LedgerEntry entry, LedgerFacts facts) =>
        new[] { entry.Digest }
            .Concat(entry.Statement!.Subjects.Select(s => s.Digest.GetValueOrDefault("sha256")).OfType<string>().Select(hex => "sha256:" + hex))
            .Concat(facts.Files.Select(f => f.Digest));
}
