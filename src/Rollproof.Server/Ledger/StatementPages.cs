using Rollproof.Common;
using Rollproof.Ledger;
using Rollproof.Queries;

namespace Rollproof.Server.Ledger;

/// <summary>One page of a ledger list: the checkpoint it was read under, the statements that count, the entries set aside, and where the next page starts.</summary>
public sealed record StatementPage(long TreeSize, string Trust, IReadOnlyList<LedgerStatement> Items, IReadOnlyList<SetAsideEntry> SetAside, string? NextPageToken);

/// <summary>
/// Pages through the log in log order from a query's start, reading the entries of one kind (or all) a bundle at a
/// time, each proven and judged, and keeping those that count and match the query. A page ends when it holds
/// <see cref="LedgerQuery.PageSize"/> entries, when it has examined <see cref="MaxEntriesExamined"/> entries, or when
/// the checkpoint's tree ends; its token names the next index to read, so a filter that matches little costs each
/// request a bounded amount of work and the client follows the token (a page may then be short, even empty).
/// </summary>
public static class StatementPages
{
    /// <summary>The most log entries one page reads, proves and judges (16 entry bundles); docs/server.md says so to clients.</summary>
    public const int MaxEntriesExamined = 16 * Window;

    // One entry bundle: the unit the log is read in.
    private const int Window = 256;

    /// <summary>The statements of <paramref name="kind"/> (every kind when null) matching <paramref name="query"/>, a page of them.</summary>
    public static Result<StatementPage> Read(LedgerSnapshot snapshot, string? kind, LedgerQuery query)
    {
        var found = Scan(snapshot.View, kind, query);
        if (!found.IsOk)
            return found.Problem;
        var (matches, setAside, next) = found.Value;
        return Result<StatementPage>.Ok(new StatementPage(snapshot.View.Size, LedgerTrust.Statement, [.. matches.Select(m => LedgerStatement.Of(m.Entry, m.Facts))], setAside, next));
    }

    /// <summary>The matching entries of a page with their facts, the entries set aside, and the next page's token.</summary>
    public static Result<(List<(LedgerEntry Entry, LedgerFacts Facts)> Matches, List<SetAsideEntry> SetAside, string? Next)> Scan(LedgerView view, string? kind, LedgerQuery query)
    {
        var matches = new List<(LedgerEntry, LedgerFacts)>();
        var setAside = new List<SetAsideEntry>();
        var next = query.From;
        var cap = query.From + MaxEntriesExamined;
        while (next < Math.Min(view.Size, cap) && matches.Count + setAside.Count < query.PageSize)
        {
            var end = Math.Min(Math.Min(view.Size, cap), next + Window);
            var entries = kind is null ? view.Entries(next, end) : view.Kind(kind, next, end, query.Environment);
            if (!entries.IsOk)
                return entries.Problem;
            next = end;
            foreach (var entry in entries.Value)
            {
                if (!InTime(entry, query))
                    continue;
                if (!entry.Counts)
                {
                    if (!query.FiltersContent)
                        setAside.Add(SetAsideEntry.Of(entry));
                }
                else
                {
                    var facts = StatementFacts.Of(view, entry);
                    if (!facts.IsOk)
                        return facts.Problem with { Message = $"log entry {entry.Index}: {facts.Problem.Message}" };
                    if (Matches(entry, facts.Value, query))
                        matches.Add((entry, facts.Value));
                }
                if (matches.Count + setAside.Count == query.PageSize)
                {
                    next = entry.Index + 1;
                    break;
                }
            }
        }
        return Result<(List<(LedgerEntry, LedgerFacts)>, List<SetAsideEntry>, string?)>.Ok((matches, setAside, next < view.Size ? PageToken.Of(next) : null));
    }

    private static bool InTime(LedgerEntry entry, LedgerQuery query) =>
        (query.Since is null && query.Until is null)
        || (entry.LoggedAt is { } at && (query.Since is null || at >= query.Since) && (query.Until is null || at < query.Until));

    private static bool Matches(LedgerEntry entry, LedgerFacts facts, LedgerQuery query) =>
        (query.App is null || facts.App == query.App)
        && (query.Environment is null || facts.Environment == query.Environment)
        && (query.Actor is null || entry.Signer == query.Actor)
        && (query.Digest is null || StatementFacts.Digests(entry, facts).Contains(query.Digest, StringComparer.Ordinal));
}
